"""Shared setup for the seqc end-to-end tests: make the helper modules of this
folder importable whatever pytest's import mode is."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
