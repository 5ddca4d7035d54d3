//===- Libraries.cpp - The static and shared library of a model -------------===//

#include "seqc/Target/Targets.h"

#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/Program.h"

using namespace llvm;

bool seqc::writeStaticLibrary(StringRef objectPath, StringRef memberName,
                              StringRef libraryPath, std::string &error) {
  Expected<NewArchiveMember> member =
      NewArchiveMember::getFile(objectPath, /*Deterministic=*/true);
  if (!member) {
    error = toString(member.takeError());
    return false;
  }
  member->MemberName = memberName;
  std::vector<NewArchiveMember> members;
  members.push_back(std::move(*member));
  if (Error e = writeArchive(libraryPath, members, SymtabWritingMode::NormalSymtab,
                             object::Archive::K_GNU, /*Deterministic=*/true,
                             /*Thin=*/false)) {
    error = toString(std::move(e));
    return false;
  }
  return true;
}

bool seqc::linkSharedLibrary(StringRef objectPath, StringRef libraryPath,
                             std::string &error) {
  std::string driver;
  if (const char *env = std::getenv("SEQC_LINKER"))
    driver = env;
  for (StringRef name : {"clang-22", "clang", "cc", "gcc"}) {
    if (!driver.empty())
      break;
    if (ErrorOr<std::string> path = sys::findProgramByName(name))
      driver = *path;
  }
  if (driver.empty()) {
    error = "no C compiler driver found to link the shared library (set "
            "SEQC_LINKER)";
    return false;
  }
  SmallVector<StringRef> args = {driver, "-shared", "-o", libraryPath,
                                 objectPath, "-lm"};
  std::string message;
  int rc = sys::ExecuteAndWait(driver, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking " + libraryPath.str() + " with " + driver + " failed" +
            (message.empty() ? "" : ": " + message);
    return false;
  }
  return true;
}
