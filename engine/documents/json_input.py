"""Reading the JSON files a run is handed (the GitHub event, reviews, changed files): bounded,
and with shape errors that point at the value.

Hand-edited or hostile JSON must end as one clear line, never a traceback: a file over
`MAX_JSON_BYTES` is refused before it is read (a device such as /dev/zero included), nesting
deeper than the decoder can follow is refused, and a value of the wrong shape (a PR body that
is an object, a `user` that is a string) is reported as `file:line:col: what: expected ...`,
the place found by re-reading the file with positions only when there is an error.
"""

from __future__ import annotations

import json
import math
import re

from ..files import FileTooLarge, read_bounded
from ..limits import MAX_INPUT_LIST_ITEMS, MAX_JSON_BYTES


class JsonInputError(ValueError):
    """A JSON input that cannot be used; `str()` is one line that names the file and place."""


class JsonFile:
    """A decoded JSON file and its text, to locate a value when its shape is wrong."""

    def __init__(self, path: str, text: str, data):
        self.path, self.text, self.data = path, text, data

    def shape_error(self, keys: tuple, expected: str, found) -> "JsonInputError":
        """An error at the value under `keys`: `path:line:col: a.b[2].c: expected X, found Y`."""
        return self.error_at(keys, f"expected {expected}, found {_kind(found)}")

    def error_at(self, keys: tuple, message: str) -> "JsonInputError":
        """An error about the value under `keys`: `path:line:col: a.b[2].c: message`."""
        where = self._place(keys)
        shown = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in keys).lstrip(".") or "the file"
        return JsonInputError(f"{self.path}{where}: {shown}: {message}")

    def _place(self, keys: tuple) -> str:
        from ..located_yaml import YamlError, load_yaml

        try:
            span = load_yaml(self.text, self.path).span_of(keys)
        except (YamlError, RecursionError):
            return ""
        return f":{span.line}:{span.column}"


def read_json(source, what: str) -> JsonFile:
    """Read and decode a JSON file (`source`: a path) or wrap data already decoded."""
    if isinstance(source, (dict, list)):
        return JsonFile("<data>", json.dumps(source), source)
    return parse_json(read_bounded_text(str(source), what), str(source), what)


def parse_json(text: str, path: str, what: str) -> JsonFile:
    try:
        data = json.loads(text, parse_constant=_not_finite, parse_float=_finite, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise JsonInputError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
    except RecursionError:
        raise JsonInputError(f"{path}: {what}: nested too deeply to read") from None
    except _BadNumber as error:
        number, problem = error.args
        raise JsonInputError(f"{path}:{_place_of_number(text, number)}: {what}: {problem}") from None
    if _SURROGATE_ESCAPE.search(text):
        data = _replace_lone_surrogates(data)
    return JsonFile(path, text, data)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(value):
    """`"\\ud800"` decodes to half a UTF-16 pair, which is no character: no output can encode it.
    Each becomes U+FFFD, as undecodable bytes do (a PR body must not stop the run)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_lone_surrogates(key): _replace_lone_surrogates(item) for key, item in value.items()}
    return value


class _BadNumber(ValueError):
    """(the number's text, what is wrong with it, in words). Python's decoder takes `NaN`, `Infinity` and
    `1e999999` (infinite), which JSON has not, and raises its own ValueError past 4,300 digits;
    no time, count or id in GitHub's JSON is either."""


def _not_finite(text: str):
    raise _BadNumber(text, f"{text} is not a finite number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(text, f"{text} is not a finite number")
    return value


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > 20:
        raise _BadNumber(text, f"a number of {len(text.lstrip('-')):,} digits is out of range")
    return int(text)


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"\[\]{},:]+')
"""A JSON string, or a run of what lies between the punctuation (a number or a word)."""


def _place_of_number(text: str, number: str) -> str:
    """`line:col` of the first token `number` outside strings (the decoder said it was there)."""
    for match in _TOKENS.finditer(text):
        if match.group() == number:
            start = match.start()
            line = text.count("\n", 0, start) + 1
            return f"{line}:{start - (text.rfind(chr(10), 0, start) + 1) + 1}"
    return "1:1"  # pragma: no cover - the decoder read it from this text


def check_list_size(file: JsonFile, keys: tuple, items: list, what: str) -> list:
    """`items` when it holds at most MAX_INPUT_LIST_ITEMS; else an error naming the list (`keys`
    inside the file, located; the whole file, `what`)."""
    if len(items) > MAX_INPUT_LIST_ITEMS:
        where, shown = (file._place(keys), ".".join(str(key) for key in keys)) if keys else ("", what)
        raise JsonInputError(f"{file.path}{where}: {shown}: {len(items):,} entries, over the limit "
                             f"of {MAX_INPUT_LIST_ITEMS:,}")
    return items


def read_bounded_text(path: str, what: str, error_type=JsonInputError, limit: int = MAX_JSON_BYTES) -> str:
    """A file's UTF-8 text, refused before reading when over `limit` bytes; a file that does
    not say its size (a device, a pipe) is read at most `limit + 1` bytes."""
    try:
        raw = read_bounded(path, limit)
    except FileTooLarge as error:
        raise error_type(f"{path}: {what}: {error}") from None
    except OSError as error:
        raise error_type(f"{path}: cannot read {what}: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise error_type(f"{path}: {what}: not UTF-8 text (byte {error.start})") from None


_TYPE_WORDS = {dict: "an object", list: "a list", str: "a string", int: "an integer", bool: "a boolean"}


def _kind(value) -> str:
    if value is None:
        return "null"
    return {**_TYPE_WORDS, float: "a number"}.get(type(value), type(value).__name__)


def expect(file: JsonFile, keys: tuple, value, types: tuple, *, optional: bool = True):
    """`value` (found under `keys`) when it is one of `types`, or None when `optional`; else the
    located shape error. A boolean is not an integer here, as in JSON."""
    if value is None and optional:
        return value
    if type(value) in types or (isinstance(value, (dict, list)) and type(value) in types):
        return value
    words = " or ".join(_TYPE_WORDS[t] for t in types) + (" or null" if optional else "")
    raise file.shape_error(keys, words, value)
