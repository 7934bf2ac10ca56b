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
    from ruamel.yaml.reader import ReaderError

    from ..engine.errors import UsageError
    from ..engine.located_yaml import MAX_NODES, YamlError, bound_events
    from ..engine.located_yaml.expanded import more_values_than

    loader = YAML(typ="safe", pure=True)
    bound_events(loader, text, path)  # the limits of every YAML file: values, nesting, merge keys
    _placing_what_does_not_convert(loader.constructor)
    try:
        data = loader.load(text)
    except YamlError as error:
        raise UsageError(str(error)) from None
    except _Unconvertible as error:
        raise UsageError(f"{path}:{_place(error.mark)}: {error.problem}") from None
    except MarkedYAMLError as error:
        problem = (error.problem or error.context or "").split("\n")[0]  # not ruamel's "in <unicode string>"
        raise UsageError(f"{path}:{_place(error.problem_mark or error.context_mark)}: invalid YAML: {problem}") from None
    except ReaderError as error:  # a control character: placed by its offset in the text
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise UsageError(f"{path}:{line}:{column}: invalid YAML: control character "
                         f"{_code_point(error.character)} is not allowed") from None
    except YAMLError as error:
        raise UsageError(f"{path}:1:1: invalid YAML: {error}") from None
    except RecursionError:  # an anchor merged into itself
        raise UsageError(f"{path}:1:1: invalid YAML: an alias refers to the value that holds it") from None
    if more_values_than(data, MAX_NODES):  # aliases read as what they name, each time they are used
        raise UsageError(f"{path}:1:1: too many values (more than {MAX_NODES:,} with aliases expanded)")
    return data


class _Unconvertible(Exception):
    """A value ruamel could not make, or made as nothing a rule can read, where it is written."""

    def __init__(self, mark, problem: str):
        super().__init__(problem)
        self.mark, self.problem = mark, problem


def _placing_what_does_not_convert(constructor) -> None:
    """Make `constructor` raise `_Unconvertible` at the node of a value that does not convert
    (`2026-02-30`, `!!float abc`, a list as a key) or that no rule could read (`_unreadable`):
    ruamel's own errors for these carry no place."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    construct, construct_mapping = constructor.construct_object, constructor.construct_mapping

    def construct_object(node, deep=False):
        try:
            value = construct(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            raise _Unconvertible(node.start_mark, f"invalid YAML: {error}") from None
        problem = _unreadable(value)
        if problem:
            raise _Unconvertible(node.start_mark, problem)
        return value

    def construct_mapping_of_plain_keys(node, *args, **kwargs):
        for key, _ in node.value:
            if isinstance(key, (MappingNode, SequenceNode)):  # ruamel would make a list a tuple
                raise _Unconvertible(key.start_mark, "a list or a map cannot be a key: write it as text")
        return construct_mapping(node, *args, **kwargs)

    constructor.construct_object = construct_object
    constructor.construct_mapping = construct_mapping_of_plain_keys


def _code_point(character) -> str:
    """U+0001 for ruamel's code point, or the byte it read as written."""
    return f"U+{character:04X}" if isinstance(character, int) else repr(character)


def _place(mark) -> str:
    return f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"


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
