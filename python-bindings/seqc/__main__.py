"""`python -m seqc ARGS`, and the `seqc` command a pip install of the
package adds, behave like the `seqc` command line (`seqc run` and
`seqc bench` included)."""

import sys

from . import _seqc


def main() -> int:
    return _seqc.main(["seqc", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
