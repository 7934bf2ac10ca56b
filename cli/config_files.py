"""Reading the user's JSON and YAML data files, with errors that name the file, line and column."""

from __future__ import annotations

import json
from pathlib import Path


def read_data_file(path: str):
    """Parse a JSON or YAML file (by content: JSON first, then YAML); UsageError on any problem."""
    from ..engine.errors import UsageError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
    return _read_yaml(path, text)


def _read_yaml(path: str, text: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from ..engine.errors import UsageError

    try:
        return YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise UsageError(f"{path}:{where}: invalid YAML: {error.problem or error.context}") from None
    except YAMLError as error:
        raise UsageError(f"{path}:1:1: invalid YAML: {error}") from None
