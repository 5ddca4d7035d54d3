"""seqc: compile ONNX sequence models (LSTM, GRU, RNN ...) to native code.

    import seqc
    model = seqc.compile("model.onnx")      # a path, bytes or an onnx.ModelProto
    y, y_h = model(x)                        # NumPy in, NumPy out
    model.save("out/")                       # model.o, libmodel.a/.so, model.h
    again = seqc.load("out/")                # no compiler needed

Options of `compile` are the flags of the `seqc` command line, with '-'
written '_' (`mcpu="skylake"`, `O=2`, `timing=True`); see `seqc.flags()`.
"""

from ._compile import compile, flags, kernel_backends
from ._errors import CompileError, ExecutionError, SeqcError
from ._model import CompiledModel, TensorSpec, load

__all__ = ["compile", "load", "flags", "kernel_backends", "CompiledModel", "TensorSpec",
           "SeqcError", "CompileError", "ExecutionError"]
