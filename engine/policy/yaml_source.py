"""YAML text -> plain Python data, with the source position of every key, value and character.

Policy, policy test and config files are YAML. Every error about them must point into the
file: a schema violation at its key, a rule-language error at the exact column inside the
expression, whether the expression is plain, quoted, folded (`>`) or literal (`|`). ruamel.yaml
(pure Python) parses the text into nodes with start and end marks; this module turns the nodes
into plain data (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`) and keeps a position
index beside it, keyed by the path of keys and list indexes (`("spec", "rules", 2, "id")`).

Decisions a caller relies on:

* **Timestamps stay strings.** `expires: 2026-12-15` loads as the string `"2026-12-15"` and
  `now: 2026-11-26T12:00:00Z` as `"2026-11-26T12:00:00Z"`, exactly as written, so the data is
  what the same file in JSON would give and JSON Schema `format` checks apply. Callers parse them.
* **Keys are strings.** A scalar key that YAML would read as another type (`2041:`, `true:`)
  becomes its source text (`"2041"`, `"true"`); a mapping or list as a key is an error.
* **Core schema of YAML 1.2**: `yes`/`no`/`on`/`off` are strings. Anchors, aliases and merge
  keys (`<<`) work; a path through an alias points at the anchored source. Custom tags
  (`!foo`), binary and sets are errors.
* **One document per file**; duplicate keys are an error at the second key; size, nesting depth
  and alias expansion are limited (hostile input gets a `YamlError`, never a hang or a traceback).

`ScalarSource.span(start, end)` maps offsets into a loaded string back to the file. The scalar's
source is re-scanned here following the YAML 1.2 rules for its style (escapes, line folding,
block indentation and chomping) and the reconstruction is compared with ruamel's value; if they
ever differ, every offset maps to the whole scalar (`ScalarSource.exact` is then False).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

from ..span import Span
from .scalar_scan import Mapped, scalar_map, skip_properties

MAX_BYTES = 5 * 1024 * 1024
"""Largest file accepted, in bytes (and in characters for text)."""
MAX_DEPTH = 100
"""Deepest nesting of mappings and lists accepted."""
MAX_NODES = 1_000_000
"""Most values built from one file, aliases expanded (stops 'billion laughs' input)."""

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = _TAG + "str", _TAG + "null", _TAG + "bool", _TAG + "int", _TAG + "float"
_TIMESTAMP, _MAP, _SEQ, _MERGE = _TAG + "timestamp", _TAG + "map", _TAG + "seq", _TAG + "merge"

_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False,
          "y": True, "n": False}


class YamlError(Exception):
    """A file that is not usable YAML: syntax, duplicate key, limits, encoding.

    `str(error)` is `path:line:col: message` (1:1 when the place is unknown).
    """

    def __init__(self, message: str, span: Span | None, path: str):
        super().__init__(message)
        self.message = message
        self.span = span
        self.path = path

    @property
    def line(self) -> int:
        return self.span.line if self.span else 1

    @property
    def column(self) -> int:
        return self.span.column if self.span else 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ScalarSource:
    """A string scalar as loaded, with the file range of each of its characters."""

    __slots__ = ("value", "style", "exact", "_text", "_starts", "_ends", "_whole")

    def __init__(self, value: str, style: str, text: str, starts: list[int] | None,
                 ends: list[int] | None, whole: tuple[int, int]):
        self.value = value
        self.style = style
        """`plain`, `single`, `double`, `literal` or `folded`."""
        self.exact = starts is not None
        """False when the re-scan could not reproduce the value: every span is then the whole scalar."""
        self._text = text
        self._starts = starts
        self._ends = ends
        self._whole = whole

    def __repr__(self) -> str:
        return f"ScalarSource({self.value!r}, style={self.style!r}, exact={self.exact})"

    @property
    def whole(self) -> Span:
        """The scalar in the file: quotes included; a block scalar from its indicator to its last content."""
        return Span.from_offsets(self._text, *self._whole)

    def offset(self, index: int) -> int:
        """The file offset where value[index] comes from (index == len(value): just after the last)."""
        if self._starts is None:
            return self._whole[0]
        index = max(0, min(index, len(self.value)))
        if index < len(self.value):
            return self._starts[index]
        return self._ends[-1] if self._ends else self._whole[0]

    def span(self, start: int, end: int) -> Span:
        """The file span of value[start:end]; an empty range gives an empty span at that place."""
        if self._starts is None:
            return self.whole
        size = len(self.value)
        start = max(0, min(start, size))
        end = max(start, min(end, size))
        if start == end:
            offset = self.offset(start)
            return Span.from_offsets(self._text, offset, offset)
        return Span.from_offsets(self._text, self._starts[start], self._ends[end - 1])

    def span_at(self, line: int, column: int, end_line: int | None = None,
                end_column: int | None = None) -> Span:
        """The file span of a 1-based line/column place inside the value (e.g. a CEL error).

        Lines of the value are split at `\\n`; columns count code points. Without an end, the
        span covers the one character there.
        """
        start = self.index_of(line, column)
        if end_line is None or end_column is None:
            end = min(start + 1, len(self.value))
        else:
            end = max(start, self.index_of(end_line, end_column))
        return self.span(start, end)

    def index_of(self, line: int, column: int) -> int:
        """The value offset of a 1-based line and column inside the value (clamped)."""
        offset = 0
        for _ in range(max(line, 1) - 1):
            newline = self.value.find("\n", offset)
            if newline < 0:
                return len(self.value)
            offset = newline + 1
        line_end = self.value.find("\n", offset)
        if line_end < 0:
            line_end = len(self.value)
        return min(offset + max(column, 1) - 1, line_end)


_STYLES = {None: "plain", "": "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}


# ---------------------------------------------------------------------------------------------
# Nodes -> data and the position index
# ---------------------------------------------------------------------------------------------

@dataclass
class _Entry:
    key: Any  # the key's ScalarNode, or None (root, list items)
    node: Any  # the value's node


@dataclass
class LoadedYaml:
    """A YAML file's plain data and where each of its parts is written."""

    path: str
    text: str
    data: Any
    _index: dict = field(default_factory=dict, repr=False)
    _root: Any = field(default=None, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)

    # -- spans ------------------------------------------------------------------------------

    def key_span(self, keys: tuple) -> Span | None:
        """The span of the mapping key at that path (None for the root, list items, or no such path)."""
        entry = self._index.get(tuple(keys))
        if entry is None or entry.key is None:
            return None
        return self._node_span(entry.key)

    def value_span(self, keys: tuple) -> Span | None:
        """The span of the value at that path: a scalar's text (quotes included) or the collection."""
        entry = self._index.get(tuple(keys))
        if entry is None:
            return None
        return self._node_span(entry.node)

    def span_of(self, keys: tuple) -> Span:
        """The best place for a message about that path: the value (when it has text), else
        the key, else the nearest ancestor that exists, else the file's start."""
        keys = tuple(keys)
        value = self.value_span(keys)
        if value is not None and value.end > value.start:
            return value
        key = self.key_span(keys)
        if key is not None:
            return key
        if value is not None:
            return value
        if keys:
            return self.span_of(keys[:-1])
        return Span.from_offsets(self.text, 0, 0)

    def scalar(self, keys: tuple) -> ScalarSource | None:
        """The string scalar at that path with its character mapping (None if not a string)."""
        keys = tuple(keys)
        entry = self._index.get(keys)
        if entry is None or entry.node.id != "scalar" or not isinstance(self._get(keys), str):
            return None
        return self._scalar_source(entry.node)

    def has(self, keys: tuple) -> bool:
        """Whether the path exists in the data."""
        return tuple(keys) in self._index

    def key_paths(self, keys: tuple) -> list[tuple]:
        """The paths of a mapping's keys in file order (empty for other values)."""
        entry = self._index.get(tuple(keys))
        value = self._get(tuple(keys)) if entry else None
        if not isinstance(value, dict):
            return []
        paths = [tuple(keys) + (key,) for key in value]
        return sorted(paths, key=lambda p: self._index[p].key.start_mark.index
                      if self._index[p].key is not None else 0)

    # -- internals --------------------------------------------------------------------------

    def _get(self, keys: tuple) -> Any:
        value = self.data
        for key in keys:
            value = value[key]
        return value

    def _scalar_info(self, node: Any) -> tuple[Mapped | None, int, int]:
        found = self._cache.get(id(node))
        if found is None:
            found = scalar_map(self.text, node, node is self._root)
            self._cache[id(node)] = found
        return found

    def _scalar_source(self, node: Any) -> ScalarSource:
        out, start, end = self._scalar_info(node)
        style = _STYLES.get(node.style, "plain")
        if out is None:
            return ScalarSource(node.value, style, self.text, None, None, (start, end))
        return ScalarSource(node.value, style, self.text, out.starts, out.ends, (start, end))

    def _node_end(self, node: Any) -> int:
        if node.id == "scalar":
            return self._scalar_info(node)[2]
        if node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self._node_end(last[1] if node.id == "mapping" else last)

    def _node_start(self, node: Any) -> int:
        return skip_properties(self.text, node.start_mark.index, node.end_mark.index)

    def _node_span(self, node: Any) -> Span:
        start = self._node_start(node)
        end = max(start, self._node_end(node))
        return Span.from_offsets(self.text, start, end)


class _Builder:
    """Walks composed nodes into plain data, filling the position index."""

    def __init__(self, text: str, path: str, index: dict):
        self.text = text
        self.path = path
        self.index = index
        self.count = 0

    def error(self, message: str, node: Any) -> YamlError:
        start = node.start_mark.index
        end = max(start, node.end_mark.index) if node.id == "scalar" else start + 1
        end = min(end, len(self.text))
        return YamlError(message, Span.from_offsets(self.text, start, end), self.path)

    def build(self, node: Any, keys: tuple, key_node: Any, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(f"too many values (more than {MAX_NODES:,} with aliases expanded)", node)
        if depth > MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels", node)
        self.index[keys] = _Entry(key_node, node)
        if node.id == "scalar":
            return self.scalar(node)
        tag = str(node.tag)
        if node.id == "sequence":
            if tag != _SEQ:
                raise self.error(f"unsupported tag {tag!r} on a list", node)
            return [self.build(item, keys + (n,), None, depth + 1) for n, item in enumerate(node.value)]
        if tag != _MAP:
            raise self.error(f"unsupported tag {tag!r} on a mapping", node)
        return self.mapping(node, keys, depth)

    def mapping(self, node: Any, keys: tuple, depth: int) -> dict:
        result: dict = {}
        first_seen: dict = {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                raise self.error("a key must be a plain value, not a mapping or a list", key_node)
            if str(key_node.tag) == _MERGE:
                merges.append((key_node, value_node))
                continue
            key = self.key(key_node)
            if key in first_seen:
                first = first_seen[key].start_mark
                raise self.error(f"duplicate key {key!r} (first defined at line {first.line + 1}, "
                                 f"column {first.column + 1})", key_node)
            first_seen[key] = key_node
            result[key] = self.build(value_node, keys + (key,), key_node, depth + 1)
        for key_node, value_node in merges:
            sources = value_node.value if value_node.id == "sequence" else [value_node]
            for source in sources:
                if source.id != "mapping":
                    raise self.error("a merge key ('<<') takes a mapping or a list of mappings", source)
                for inner_key, inner_value in source.value:
                    if inner_key.id != "scalar" or str(inner_key.tag) == _MERGE:
                        raise self.error("nested merge keys are not supported", inner_key)
                    key = self.key(inner_key)
                    if key not in result:
                        result[key] = self.build(inner_value, keys + (key,), inner_key, depth + 1)
        return result

    def key(self, node: Any) -> str:
        value = self.scalar(node)
        return value if isinstance(value, str) else node.value

    def scalar(self, node: Any) -> Any:
        tag, value = str(node.tag), node.value
        if tag == _STR or tag == _TIMESTAMP:
            return value
        if tag == _NULL:
            return None
        explicit = "!" in self.text[node.start_mark.index:skip_properties(
            self.text, node.start_mark.index, node.end_mark.index)]
        try:
            if tag == _BOOL:
                return _BOOLS[value.lower()]
            if tag == _INT:
                return _to_int(value)
            if tag == _FLOAT:
                return _to_float(value)
        except (KeyError, ValueError):
            if explicit:
                raise self.error(f"{value!r} is not a valid {tag[len(_TAG):]}", node) from None
            return value  # resolved by pattern only (`_`, `._`): it is text
        if explicit:
            raise self.error(f"unsupported tag {tag!r}", node)
        return value  # `=` and other YAML 1.1 leftovers read as text


def _to_int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
        if digits.lower().startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits, 10)


def _to_float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits.startswith("-") else 1.0
    digits = digits.lstrip("+-")
    if digits in (".inf", "inf"):
        return sign * float("inf")
    if digits in (".nan", "nan"):
        return float("nan")
    return sign * float(digits)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

def _mark_span(text: str, mark: Any) -> Span:
    index = min(max(getattr(mark, "index", 0) or 0, 0), len(text))
    return Span.from_offsets(text, index, min(index + 1, len(text)))


def _syntax_error(text: str, path: str, error: Any) -> YamlError:
    from ruamel.yaml.reader import ReaderError

    if isinstance(error, ReaderError):
        index = max(0, min(error.position, len(text)))
        char = error.character
        shown = f"U+{char:04X}" if isinstance(char, int) else f"U+{ord(char):04X}" if char else "?"
        return YamlError(f"character {shown} is not allowed in a YAML file",
                         Span.from_offsets(text, index, min(index + 1, len(text))), path)
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if problem is None:
        message = (context or str(error)).strip().splitlines()[0] if (context or str(error)) else "invalid YAML"
        mark = context_mark
    else:
        message = problem
        mark = problem_mark or context_mark
        if context and context_mark is not None and problem_mark is not None and (
                context_mark.index != problem_mark.index):
            message += f" ({context} at line {context_mark.line + 1}, column {context_mark.column + 1})"
        elif context:
            message += f" ({context})"
    span = _mark_span(text, mark) if mark is not None else None
    return YamlError(f"invalid YAML: {message}", span, path)


def _depth_error(text: str, path: str) -> YamlError:
    """Where nesting exceeds MAX_DEPTH, found with the scanner (no recursion)."""
    from ruamel.yaml import YAML
    from ruamel.yaml import tokens

    depth = 0
    try:
        for token in YAML(typ="safe", pure=True).scan(text):
            if isinstance(token, (tokens.BlockMappingStartToken, tokens.BlockSequenceStartToken,
                                  tokens.FlowMappingStartToken, tokens.FlowSequenceStartToken)):
                depth += 1
                if depth > MAX_DEPTH:
                    return YamlError(f"nested deeper than {MAX_DEPTH} levels",
                                     _mark_span(text, token.start_mark), path)
            elif isinstance(token, (tokens.BlockEndToken, tokens.FlowMappingEndToken,
                                    tokens.FlowSequenceEndToken)):
                depth -= 1
    except Exception:  # noqa: BLE001 - only looking for a position; the message stands without one
        pass
    return YamlError(f"nested too deeply (more than {MAX_DEPTH} levels)", None, path)


def load_yaml(text: str, path: str) -> LoadedYaml:
    """Parse one YAML document into plain data and a position index; YamlError on any problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError, YAMLWarning

    if len(text) > MAX_BYTES:
        raise YamlError(f"file too large ({len(text):,} characters; the limit is {MAX_BYTES:,})",
                        None, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = YAML(typ="safe", pure=True)
    try:
        with warnings.catch_warnings():
            # a reused anchor is valid YAML (the later one wins); ruamel would print a warning
            warnings.simplefilter("ignore", YAMLWarning)
            documents = loader.compose_all(text)
            root = next(documents, None)
            second = next(documents, None) if root is not None else None
    except YAMLError as error:
        raise _syntax_error(text, path, error) from None
    except RecursionError:
        raise _depth_error(text, path) from None
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, AssertionError) as error:
        # ruamel raises a few non-YAMLError types on odd input; they are still input errors
        raise YamlError(f"invalid YAML: {error}", None, path) from None
    if second is not None:
        index = second.start_mark.index
        marker = text.rfind("---", 0, index + 3)
        start = marker if marker >= 0 else index
        raise YamlError("a file holds one YAML document; remove the second one (after '---') "
                        "or split the file", Span.from_offsets(text, start, min(start + 3, len(text))),
                        path)
    index: dict = {}
    if root is None:
        return LoadedYaml(path, text, None, index, None)
    builder = _Builder(text, path, index)
    try:
        data = builder.build(root, (), None, 0)
    except RecursionError:
        raise _depth_error(text, path) from None
    return LoadedYaml(path, text, data, index, root)


def load_yaml_bytes(data: bytes, path: str) -> LoadedYaml:
    """Decode UTF-8 (a BOM is dropped) and load; invalid UTF-8 is a YamlError with its byte offset."""
    if len(data) > MAX_BYTES:
        raise YamlError(f"file too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})", None, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError("file is UTF-16; save it as UTF-8", Span(0, 0, 1, 1, 1, 1), path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start].decode("utf-8", errors="replace")
        span = Span.from_offsets(before + "\ufffd", len(before), len(before) + 1)
        what = "binary data, not UTF-8 text" if b"\0" in data[:8192] else "not valid UTF-8"
        raise YamlError(f"{what}: byte 0x{data[error.start]:02X} at byte offset {error.start}",
                        span, path) from None
    return load_yaml(text, path)
