"""`python -m seqc ARGS` behaves like the `seqc` command line."""

import sys

from . import _seqc

if __name__ == "__main__":
    sys.exit(_seqc.main(["seqc", *sys.argv[1:]]))
