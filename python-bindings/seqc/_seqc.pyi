"""The compiler extension (seqc/_seqc), in-process."""

__version__: str

def run(args: list[str]) -> tuple[int, str, str]:
    """Compile with a seqc command line (argv[0] first): (status, stdout, stderr)."""

def main(args: list[str]) -> int:
    """The seqc command line, printing to the process's stdout and stderr."""

def flags() -> list[tuple[str, str, str, str]]:
    """seqc's flags as (name, kind, default, help)."""
