"""What the code that judges is, as one digest: the caches that hold what this code made (a run's
outcome, a policy file's parsed and checked expressions) key on it, so that a changed engine
never reads an entry an older one wrote, whatever its version number says."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache

from .. import __version__
from ..documents.blocks import parser_versions
from ..files import package_files
from ..resources import resource_dir

LIBRARIES = ("re2", "lark", "ruamel.yaml")
"""Libraries whose behaviour decides what the caches keyed by this digest hold (google-re2's
program sizes bound the patterns a rule may hold; Lark parses the expressions; ruamel.yaml loads
the policy and configuration files whose data they keep), named as their packages' files."""


@cache
def code_digest() -> str:
    """The package version, Python's, every file of the engine, the bundled schemas and policies,
    the Markdown parsers extraction may use and the LIBRARIES (read once per process: 6-9 ms;
    walked with `pathlib`, 15)."""
    digest = hashlib.sha256()
    for part in (__version__, sys.version):
        digest.update(part.encode("utf-8") + b"\0")
    engine = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    for top in (engine, resource_dir("schemas"), resource_dir("policies")):
        for name, path in _files_under(str(top)):
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
            with open(path, "rb") as source:
                digest.update(source.read())
    digest.update(parser_versions().encode("utf-8", "surrogateescape"))
    for name in LIBRARIES:
        digest.update(package_files(name).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _files_under(top: str) -> list:
    """(the path from `top` with `/`, the path) of every file below `top` but bytecode caches,
    sorted by the first."""
    found = []
    for folder, folders, names in os.walk(top):
        folders[:] = [name for name in folders if name != "__pycache__"]
        inside = os.path.relpath(folder, top).replace(os.sep, "/")
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                found.append((name if inside == "." else f"{inside}/{name}", path))
    return sorted(found)
