"""What a load gives back: plain data, and where each of its keys, values and characters is written.

`LoadedYaml` holds a file's data beside a position index keyed by the path of keys and list
indexes (`("spec", "rules", 2, "id")`): the span of a key, of a value, the best place for a
message about a path. `ScalarSource` maps offsets inside one loaded string back to the file, so
an error at a column of an expression points at that column whatever the scalar's style (plain,
quoted, folded `>` or literal `|`). The mapping is `scalar_scan`'s re-scan of the scalar's
source, made on first use and kept; when the re-scan does not reproduce ruamel's value, every
offset maps to the whole scalar (`ScalarSource.exact` is then False).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..span import Span
from .scalar_scan import Mapped, scalar_map, skip_properties


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


@dataclass
class IndexEntry:
    """Where one path of the data is written: its key's node (None for the root and list
    items) and its value's node, as ruamel composed them."""

    key: Any
    node: Any


@dataclass
class LoadedYaml:
    """A YAML file's plain data and where each of its parts is written."""

    path: str
    text: str
    data: Any
    _index: dict | None = field(default_factory=dict, repr=False)  # None: not made yet (`remembered`)
    _root: Any = field(default=None, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def remembered(cls, path: str, text: str, data: Any) -> LoadedYaml:
        """The load of `text` that gave `data` before (a cache's note of a sound configuration):
        where each part is written is found, by parsing the text again, only when asked, so a
        run whose configuration needs no position never imports ruamel (20 ms)."""
        return cls(path, text, data, None)

    def _entries(self) -> dict:
        if self._index is None:
            from .load import load_yaml

            again = load_yaml(self.text, self.path)
            self._index, self._root = again._index, again._root
        return self._index

    # -- spans ------------------------------------------------------------------------------

    def key_span(self, keys: tuple) -> Span | None:
        """The span of the mapping key at that path (None for the root, list items, or no such path)."""
        entry = self._entries().get(tuple(keys))
        if entry is None or entry.key is None:
            return None
        return self._node_span(entry.key)

    def value_span(self, keys: tuple) -> Span | None:
        """The span of the value at that path: a scalar's text (quotes included) or the collection."""
        entry = self._entries().get(tuple(keys))
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
        entry = self._entries().get(keys)
        if entry is None or entry.node.id != "scalar" or not isinstance(self._get(keys), str):
            return None
        return self._scalar_source(entry.node)

    def has(self, keys: tuple) -> bool:
        """Whether the path exists in the data."""
        return tuple(keys) in self._entries()

    def key_paths(self, keys: tuple) -> list[tuple]:
        """The paths of a mapping's keys in file order (empty for other values)."""
        index = self._entries()
        entry = index.get(tuple(keys))
        value = self._get(tuple(keys)) if entry else None
        if not isinstance(value, dict):
            return []
        paths = [tuple(keys) + (key,) for key in value]
        return sorted(paths, key=lambda p: index[p].key.start_mark.index if index[p].key is not None else 0)

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
