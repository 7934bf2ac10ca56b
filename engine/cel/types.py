"""Static types for the checker: primitives, lists, maps, records from JSON Schema, and `dyn`.

Declarations arrive as CEL type names (`"list(string)"`), `Type` objects, or JSON Schemas; a
schema object with `properties` becomes a closed record, so a misspelt field is a load-time
error with a suggestion instead of a runtime surprise.
"""

from __future__ import annotations

from typing import Mapping

from .errors import CelTypeError


class Type:
    """A static type; equal when of the same class and key (records compare by name)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def _key(self) -> tuple:
        return (self.name,)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + self._key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __str__(self) -> str:
        return shown_name(self.name)


def shown_name(name: str) -> str:
    """A type's name as messages and signatures show it: the two well-known types as the
    language's `timestamp()` and `duration()` call them (this dialect has no protobuf messages)."""
    return _SHOWN_NAMES.get(name, name)


_SHOWN_NAMES = {"google.protobuf.Timestamp": "timestamp", "google.protobuf.Duration": "duration"}


class ListType(Type):
    __slots__ = ("element",)

    def __init__(self, name: str, element: Type):
        super().__init__(name)
        self.element = element

    def _key(self) -> tuple:
        return (self.element,)

    def __str__(self) -> str:
        return f"list({self.element})"


class MapType(Type):
    __slots__ = ("key", "value")

    def __init__(self, name: str, key: Type, value: Type):
        super().__init__(name)
        self.key, self.value = key, value

    def _key(self) -> tuple:
        return (self.key, self.value)

    def __str__(self) -> str:
        return f"map({self.key}, {self.value})"


class RecordType(Type):
    """An object with known fields (from a JSON Schema); at runtime a dict."""

    __slots__ = ("fields", "descriptions")

    def __init__(self, name: str, fields: Mapping[str, Type] | None = None,
                 descriptions: Mapping[str, str] | None = None):
        super().__init__(name)
        self.fields = dict(fields or {})
        self.descriptions = dict(descriptions or {})


INT, UINT, DOUBLE, BOOL = Type("int"), Type("uint"), Type("double"), Type("bool")
STRING, BYTES, NULL = Type("string"), Type("bytes"), Type("null_type")
TIMESTAMP, DURATION = Type("google.protobuf.Timestamp"), Type("google.protobuf.Duration")
DYN, TYPE = Type("dyn"), Type("type")
LIST_DYN, MAP_DYN = ListType("list", DYN), MapType("map", DYN, DYN)
NUMERIC = frozenset({INT, UINT, DOUBLE})

_NAMED = {t.name: t for t in (INT, UINT, DOUBLE, BOOL, STRING, BYTES, NULL, TIMESTAMP, DURATION, DYN, TYPE)}
_NAMED.update({"timestamp": TIMESTAMP, "duration": DURATION, "list": LIST_DYN, "map": MAP_DYN,
               "int64": INT, "uint64": UINT, "float": DOUBLE, "null": NULL, "any": DYN})


def list_of(element: Type) -> ListType:
    return ListType("list", element)


def map_of(key: Type, value: Type) -> MapType:
    return MapType("map", key, value)


def resolve(declaration) -> Type:
    """A declaration (type name, Type, or JSON Schema dict) as a Type."""
    if isinstance(declaration, Type):
        return declaration
    if isinstance(declaration, str):
        return parse_type_name(declaration)
    if isinstance(declaration, Mapping):
        return from_json_schema(declaration)
    raise CelTypeError(f"cannot declare a variable of type {declaration!r}")


def parse_type_name(text: str) -> Type:
    """`int`, `list(string)`, `map(string, list(int))`, `timestamp`..."""
    name, _, rest = text.strip().partition("(")
    name = name.strip()
    if not rest:
        if name not in _NAMED:
            raise CelTypeError(f"unknown type name '{text}'")
        return _NAMED[name]
    inner = rest.rstrip()
    if not inner.endswith(")"):
        raise CelTypeError(f"unbalanced parentheses in type name '{text}'")
    parts = _split_top_level(inner[:-1])
    if name == "list" and len(parts) == 1:
        return list_of(parse_type_name(parts[0]))
    if name == "map" and len(parts) == 2:
        return map_of(parse_type_name(parts[0]), parse_type_name(parts[1]))
    raise CelTypeError(f"unknown type name '{text}'")


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


_SCHEMA_FORMATS = {"date-time": TIMESTAMP, "duration": DURATION}
_SCHEMA_TYPES = {"string": STRING, "integer": INT, "number": DOUBLE, "boolean": BOOL, "null": NULL}


def from_json_schema(schema: Mapping, name: str = "object", definitions: Mapping | None = None) -> Type:
    """The CEL type a JSON Schema describes. Unions and anything unclear become `dyn`."""
    definitions = definitions if definitions is not None else {**schema.get("$defs", {}), **schema.get("definitions", {})}
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference.startswith(("#/$defs/", "#/definitions/")):
        key = reference.rsplit("/", 1)[1]
        if key in definitions:
            return from_json_schema(definitions[key], key, definitions)
        return DYN
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind == "string" and schema.get("format") in _SCHEMA_FORMATS:
        return _SCHEMA_FORMATS[schema["format"]]
    if kind in _SCHEMA_TYPES:
        return _SCHEMA_TYPES[kind]
    if kind == "array":
        items = schema.get("items")
        return list_of(from_json_schema(items, name, definitions) if isinstance(items, Mapping) else DYN)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties")
        if isinstance(properties, Mapping) and properties:
            title = schema.get("title") or name
            return RecordType(
                title,
                fields={key: from_json_schema(value, key, definitions) for key, value in properties.items()},
                descriptions={key: str(value.get("description", "")) for key, value in properties.items()},
            )
        extra = schema.get("additionalProperties")
        return map_of(STRING, from_json_schema(extra, name, definitions) if isinstance(extra, Mapping) else DYN)
    return DYN


def iteration_type(container: Type) -> Type | None:
    """What iterating over (or testing `in`) a container yields: list elements, map keys; None if
    the type is not a container."""
    if isinstance(container, ListType):
        return container.element
    if isinstance(container, MapType):
        return container.key
    if isinstance(container, RecordType):
        return STRING
    return DYN if container == DYN else None


def assignable(expected: Type, actual: Type) -> bool:
    """Whether a value of `actual` type may stand where `expected` is wanted."""
    if expected == DYN or actual == DYN or expected == actual:
        return True
    if isinstance(expected, ListType) and isinstance(actual, ListType):
        return assignable(expected.element, actual.element)
    if isinstance(expected, MapType):
        if isinstance(actual, MapType):
            return assignable(expected.key, actual.key) and assignable(expected.value, actual.value)
        if isinstance(actual, RecordType):
            return expected.key in (STRING, DYN)
    if isinstance(expected, RecordType) and isinstance(actual, (RecordType, MapType)):
        return True
    return False


def join(a: Type, b: Type) -> Type:
    """The type of a value that is either an `a` or a `b` (list elements, ternary branches)."""
    if a == b:
        return a
    if a == NULL or b == NULL:
        return DYN
    if isinstance(a, ListType) and isinstance(b, ListType):
        return list_of(join(a.element, b.element))
    if isinstance(a, MapType) and isinstance(b, MapType):
        return map_of(join(a.key, b.key), join(a.value, b.value))
    return DYN
