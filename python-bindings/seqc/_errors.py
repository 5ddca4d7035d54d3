"""The errors seqc raises."""


class SeqcError(Exception):
    """Base class of seqc's errors; `message` is the one-line explanation."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CompileError(SeqcError):
    """The compiler refused the model: `message` names the ONNX node."""


class ExecutionError(SeqcError):
    """A compiled model could not be loaded (missing, or of another C ABI
    version) or refused its inputs; `status` is the C API's code (1 null
    pointer, 2 shape, 3 out of memory), or 0 for checks made in Python."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status
