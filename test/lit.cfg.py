# lit configuration of seqc: FileCheck tests of the dialects, passes,
# importer and driver. Run through scripts/test.sh, or
#   /usr/lib/llvm-22/bin/lit -sv build/test
import os

import lit.formats

config.name = "seqc"
config.test_format = lit.formats.ShTest(not lit_config.isWindows)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "unit",
                   "e2e", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.seqc_tools_dir, "..", "test")

config.environment["PATH"] = os.pathsep.join(
    [config.seqc_tools_dir, config.llvm_tools_dir, config.environment["PATH"]])
config.substitutions.append(("%python", config.seqc_python))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
