"""Reading the user's JSON and YAML data files (`policy eval --vars`), bounded like every input,
with errors that name the file, line and column."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def read_data_file(path: str):
    """Parse a JSON or YAML file (by content: JSON first, then YAML); UsageError on any problem."""
    from ..engine.documents.json_input import (
        JsonInputError,
        parse_json,
        read_bounded_text,
    )
    from ..engine.errors import UsageError
    from ..engine.located_yaml import MAX_BYTES

    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file")
    try:
        text = read_bounded_text(path, "the data file", limit=MAX_BYTES)
        if text.lstrip().startswith(("{", "[")):
            return parse_json(text, path, "the data file").data
    except JsonInputError as error:
        raise UsageError(str(error)) from None
    return _read_yaml(path, text)


def _read_yaml(path: str, text: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from ..engine.errors import UsageError
    from ..engine.located_yaml import MAX_NODES, YamlError, bound_events
    from ..engine.located_yaml.expanded import more_values_than, values_in

    loader = YAML(typ="safe", pure=True)
    bound_events(loader, text, path)  # the limits of every YAML file: values, nesting, merge keys
    try:
        data = loader.load(text)
    except YamlError as error:
        raise UsageError(str(error)) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise UsageError(f"{path}:{where}: invalid YAML: {error.problem or error.context}") from None
    except YAMLError as error:
        raise UsageError(f"{path}:1:1: invalid YAML: {error}") from None
    except RecursionError:  # an anchor merged into itself
        raise UsageError(f"{path}:1:1: invalid YAML: an alias refers to the value that holds it") from None
    except (ValueError, TypeError, OverflowError) as error:  # a value that does not convert (`2026-02-30`)
        raise UsageError(f"{path}:1:1: invalid YAML: {error}") from None
    if more_values_than(data, MAX_NODES):  # aliases read as what they name, each time they are used
        raise UsageError(f"{path}:1:1: too many values (more than {MAX_NODES:,} with aliases expanded)")
    problem = next(filter(None, map(_unreadable, values_in(data))), None)
    if problem is not None:
        raise UsageError(f"{path}:1:1: {problem}")
    return data


def _unreadable(value) -> str:
    """Why ruamel made a value no rule could read ("" when it can): a binary value (`!!binary`),
    which no scan for secrets reads either, or a time that has no UTC (`9999-12-31T23:59:59-23:00`)."""
    if isinstance(value, (bytes, bytearray)):
        return "a binary value (`!!binary`) is not supported: write it as text"
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value.astimezone(timezone.utc)
        except OverflowError:
            return f"the time {value.isoformat()} is out of range in UTC"
    return ""
