"""Shared setup for the rule-language tests.

Test helpers (`textproto`, `cel_conformance`) live beside the tests and are imported by their
plain names, so this directory must be importable whatever pytest's import mode is.
"""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
