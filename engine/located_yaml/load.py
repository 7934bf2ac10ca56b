"""YAML text -> plain Python data and a position index (`LoadedYaml`); any problem is a `YamlError`.

Policy, policy test and config files are YAML, and every error about them must point into the
file. ruamel.yaml (pure Python) composes the text into nodes with start and end marks; this
module walks the nodes into plain data (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`)
and records each node in the index `LoadedYaml` answers positions from.

Decisions a caller relies on:

* **Scalars resolve as ruamel's safe loader resolves them**: its resolver picks the tag (YAML 1.2
  core schema) and its `SafeConstructor` turns ints (`0x1F`, `0o17`, `1_000`), floats (`.inf`,
  `1e3`), booleans and null into values. A plain scalar whose pattern says number but which does
  not convert (`_`, `._`) stays text, as does `=` (a YAML 1.1 leftover tag).
* **Timestamps stay strings.** `expires: 2026-12-15` loads as the string `"2026-12-15"` and
  `now: 2026-11-26T12:00:00Z` as `"2026-11-26T12:00:00Z"`, exactly as written, so the data is
  what the same file in JSON would give and JSON Schema `format` checks apply. Callers parse them.
* **Keys are strings.** A scalar key that YAML would read as another type (`2041:`, `true:`)
  becomes its source text (`"2041"`, `"true"`); a mapping or list as a key is an error.
* **YAML 1.2**: `yes`/`no`/`on`/`off` are strings. A file that declares `%YAML 1.1` gets 1.1's
  resolution from ruamel, whole (`yes` is true, `017` is octal), never half of each.
* Anchors, aliases and merge keys (`<<`) work; a path through an alias points at the anchored
  source. Custom tags (`!foo`), binary and sets are errors, and so is an explicit tag on a value
  that does not convert (`!!int abc`).
* **One document per file**; duplicate keys are an error at the second key; size, nesting depth
  and alias expansion are limited (`engine/limits.py`; values and nesting are counted as the
  parser produces them, so a huge file is refused after the limit, not after reading it all):
  hostile input gets a `YamlError`, never a hang or a traceback.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Any

from ..limits import MAX_YAML_BYTES as MAX_BYTES
from ..limits import MAX_YAML_DEPTH as MAX_DEPTH
from ..limits import MAX_YAML_NODES as MAX_NODES
from ..span import Span
from .located import IndexEntry, LoadedYaml
from .scalar_scan import skip_properties

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = _TAG + "str", _TAG + "null", _TAG + "bool", _TAG + "int", _TAG + "float"
_TIMESTAMP, _MAP, _SEQ, _MERGE = _TAG + "timestamp", _TAG + "map", _TAG + "seq", _TAG + "merge"


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


MERGED_TOO_MANY = f"merge keys ('<<') expand to too many values (more than {MAX_NODES:,})"


class _DataBuilder:
    """Walks composed nodes into plain data, filling the position index."""

    def __init__(self, text: str, path: str, index: dict, constructor: Any):
        self.text = text
        self.path = path
        self.index = index
        self.count = 0
        self.construct_by_tag = {
            _NULL: constructor.construct_yaml_null, _BOOL: constructor.construct_yaml_bool,
            _INT: constructor.construct_yaml_int, _FLOAT: constructor.construct_yaml_float,
        }
        """ruamel's own conversions for the tags its resolver gives plain scalars."""

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
        self.index[keys] = IndexEntry(key_node, node)
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
                self.count += len(source.value)  # each merged key is looked at, kept or not
                if self.count > MAX_NODES:
                    raise self.error(MERGED_TOO_MANY, key_node)
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
        tag = str(node.tag)
        if tag == _STR or tag == _TIMESTAMP:
            return node.value
        construct = self.construct_by_tag.get(tag)
        if construct is None:
            if self.explicitly_tagged(node):
                raise self.error(f"unsupported tag {tag!r}", node)
            return node.value  # `=` and other YAML 1.1 leftovers read as text
        try:
            return construct(node)
        except (KeyError, ValueError, IndexError):
            if self.explicitly_tagged(node):
                raise self.error(f"{node.value!r} is not a valid {tag[len(_TAG):]}", node) from None
            return node.value  # resolved by pattern only (`_`, `._`): it is text

    def explicitly_tagged(self, node: Any) -> bool:
        """Whether the tag is written in the file (`!!int x`) rather than resolved from the text."""
        start = node.start_mark.index
        return "!" in self.text[start:skip_properties(self.text, start, node.end_mark.index)]


# ---------------------------------------------------------------------------------------------
# ruamel's errors -> YamlError
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


class _EventBudget:
    """The parser's `get_event`, counting as it goes: the values and the nesting of a file are
    limited while ruamel reads it, so a file of a million list items is refused after
    MAX_NODES of them (time and memory bounded by the limit, not the file), and a deep one
    before the composer recurses."""

    __slots__ = ("get_event", "text", "path", "nodes", "depth", "kinds")

    def __init__(self, get_event, text: str, path: str):
        from ruamel.yaml import events

        self.get_event, self.text, self.path = get_event, text, path
        self.nodes = self.depth = 0
        self.kinds = events

    def __call__(self):
        events = self.kinds
        event = self.get_event()
        if isinstance(event, events.NodeEvent):  # scalar, alias, start of a list or mapping
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise YamlError(f"too many values (more than {MAX_NODES:,}); YAML this large is refused",
                                _mark_span(self.text, event.start_mark), self.path)
            if self.depth > MAX_DEPTH:  # inside more open lists and mappings than allowed (the root is 0)
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels", _mark_span(self.text, event.start_mark),
                                self.path)
            if isinstance(event, events.CollectionStartEvent):
                self.depth += 1
        elif isinstance(event, events.CollectionEndEvent):
            self.depth -= 1
        return event


class _MergeBudget:
    """ruamel's constructor's `flatten_mapping` (merge keys, `<<`), counting the keys of each
    mapping it leaves flattened. ruamel merges while it constructs, before any count of the
    loaded data can look: a mapping that merges the last one twice (`<<: [*m, *m]`) doubles at
    each level, and a list of ten thousand aliases to a large mapping multiplies it. Past
    MAX_NODES keys it is a YamlError, after work bounded by the limit. The recursion of
    `flatten_mapping` goes through this wrapper too (it calls `self.flatten_mapping`)."""

    __slots__ = ("flatten", "text", "path", "keys")

    def __init__(self, flatten, text: str, path: str):
        self.flatten, self.text, self.path = flatten, text, path
        self.keys = 0

    def __call__(self, node):
        self.flatten(node)
        self.keys += len(node.value)
        if self.keys > MAX_NODES:
            raise YamlError(MERGED_TOO_MANY, _mark_span(self.text, node.start_mark), self.path)


def bound_events(loader, text: str, path: str) -> None:
    """Make the parser a ruamel `YAML` object creates for `text` count its events
    (`_EventBudget`): YamlError past MAX_NODES values or MAX_DEPTH levels; and its constructor
    count what merge keys expand to (`_MergeBudget`). `load_yaml` does it; so does anything else
    that loads YAML from a user (a document's front matter, `policy eval --vars`)."""
    create = loader.get_constructor_parser

    def bounded(stream):
        constructor, parser = create(stream)
        parser.get_event = _EventBudget(parser.get_event, text, path)
        constructor.flatten_mapping = _MergeBudget(constructor.flatten_mapping, text, path)
        return constructor, parser
    loader.get_constructor_parser = bounded


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

@contextmanager
def _ruamel_warnings_silenced():
    """ruamel warns about valid input: a reused anchor (the later one wins), a float without a
    dot in a YAML 1.1 file; neither is the user's problem, and a warning would reach stderr."""
    from ruamel.yaml.error import YAMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", YAMLWarning)
        yield


def load_yaml(text: str, path: str) -> LoadedYaml:
    """Parse one YAML document into plain data and a position index; YamlError on any problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if len(text) > MAX_BYTES:
        raise YamlError(f"file too large ({len(text):,} characters; the limit is {MAX_BYTES:,})",
                        None, path)
    text = _without_bom(text)
    loader = YAML(typ="safe", pure=True)
    bound_events(loader, text, path)
    try:
        with _ruamel_warnings_silenced():
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
    builder = _DataBuilder(text, path, index, loader.constructor)
    try:
        with _ruamel_warnings_silenced():
            data = builder.build(root, (), None, 0)
    except RecursionError:
        raise _depth_error(text, path) from None
    return LoadedYaml(path, text, data, index, root)


def load_yaml_bytes(data: bytes, path: str) -> LoadedYaml:
    """Decode UTF-8 (a BOM is dropped) and load; invalid UTF-8 is a YamlError with its byte offset."""
    return load_yaml(_decoded(data, path), path)


def remembered_yaml(data: bytes, path: str, plain: Any) -> LoadedYaml:
    """What `load_yaml_bytes(data, path)` gave before, `plain` being its data (the caller's note of
    it, keyed by these very bytes and the engine's code): the text is parsed again only when a
    position is asked for (`LoadedYaml.remembered`)."""
    return LoadedYaml.remembered(path, _without_bom(_decoded(data, path)), plain)


def _without_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _decoded(data: bytes, path: str) -> str:
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
    return text
