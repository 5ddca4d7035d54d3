# seqc_add_model(<target> MODEL <file.onnx> [NAME <prefix>] [FLAGS <flag>...])
#
# Compiles an ONNX model with seqc when the app is built, into a static
# library target <target> whose include directory holds the generated header
# <prefix>.h (the C API of docs/c-api.md, symbols <prefix>_*; the prefix
# defaults to <target>). The model is compiled again when the .onnx file, an
# external-data file it names (seqc writes them into a depfile), the seqc
# binary or FLAGS change; otherwise not at all. FLAGS are seqc's flags
# (seqc --help), e.g. --kernels=auto, --bind sr=16000, --mcpu=x86-64-v3.
#
#   find_package(seqc REQUIRED)
#   seqc_add_model(vad MODEL silero_vad.onnx FLAGS --bind sr=16000)
#   target_link_libraries(app PRIVATE vad)     # #include "vad.h"
function(seqc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODEL;NAME" "FLAGS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "seqc_add_model(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "seqc_add_model(${target}): MODEL <file.onnx> is required")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  if(NOT ARG_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "seqc_add_model(${target}): NAME ${ARG_NAME} is not a C identifier")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/seqc/${target}")
  set(prefix "${dir}/${ARG_NAME}")
  add_custom_command(
    OUTPUT "${prefix}.o" "${prefix}.h"
    BYPRODUCTS "${dir}/lib${ARG_NAME}.a" "${dir}/lib${ARG_NAME}.so"
    COMMAND seqc::seqc "${model}" -o "${prefix}" --depfile "${prefix}.d" ${ARG_FLAGS}
    DEPENDS "${model}" seqc::seqc
    DEPFILE "${prefix}.d"
    COMMENT "Compiling ${ARG_MODEL} with seqc"
    VERBATIM)
  # The object seqc wrote is the library's one member; the header is listed
  # so that the command runs before anything that includes it compiles.
  add_library(${target} STATIC "${prefix}.o" "${prefix}.h")
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  # The include directory must exist when CMake checks the target's usage.
  file(MAKE_DIRECTORY "${dir}")
  target_include_directories(${target} PUBLIC "${dir}")
  # The model's runtime: worker threads, libm.
  target_link_libraries(${target} PUBLIC Threads::Threads m)
endfunction()
