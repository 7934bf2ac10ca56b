"""What the code that judges is, as one digest: the caches that hold what this code made (a run's
outcome, a policy file's parsed and checked expressions) key on it, so that a changed engine
never reads an entry an older one wrote, whatever its version number says."""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path

from .. import __version__
from ..documents.blocks import parser_versions
from ..files import package_files
from ..resources import resource_dir

LIBRARIES = ("re2", "lark")
"""Libraries whose behaviour decides what a policy compiles to (google-re2's program sizes bound
the patterns a rule may hold; Lark parses the expressions), named as their packages' files."""


@cache
def code_digest() -> str:
    """The package version, Python's, every file of the engine, the bundled schemas and policies,
    the Markdown parsers extraction may use and the LIBRARIES (read once per process: about 10 ms)."""
    digest = hashlib.sha256()
    for part in (__version__, sys.version):
        digest.update(part.encode("utf-8") + b"\0")
    engine = Path(__file__).resolve().parent.parent
    for top in (engine, resource_dir("schemas"), resource_dir("policies")):
        for file in sorted(p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(file.relative_to(top)).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(file.read_bytes())
    digest.update(parser_versions().encode("utf-8", "surrogateescape"))
    for name in LIBRARIES:
        digest.update(package_files(name).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
