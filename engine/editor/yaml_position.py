"""Where the cursor is in a policy, policy test or config file, and what the expression there
may name.

A valid file is read with `engine.located_yaml.load_yaml` (every scalar maps its
characters back to the file, block scalars included); while a file is mid-edit and not valid
YAML, the line's indentation and `key:` give the same answers well enough to complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from ..cel import CelError, compile as compile_expression
from ..cel.types import DYN
from ..kinds import APPLIES_TO
from ..located_yaml import LoadedYaml, ScalarSource, YamlError, load_yaml
from ..policy.environment import declarations, element_type
from ..policy.structure import detect_file_kind, load_file_schema
from . import text as texts
from .cel_names import Scope

_KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)(?P<rest>.*)$")


@dataclass
class YamlPosition:
    text: str
    loaded: Optional[LoadedYaml]
    file_kind: Optional[str]          # policy | policy_test | config | None
    offset: int
    keys: tuple                       # the path of the value (or key) under the cursor
    on_key: bool                      # the cursor is on a mapping key
    scalar: Optional[ScalarSource]    # the string scalar under the cursor
    index: Optional[int]              # the cursor's index inside scalar.value
    expression: bool                  # the scalar is a rule expression (`x-cel` in the file's schema)
    mapping: Optional[tuple] = None   # on a line where a new key is being typed: the mapping it goes in


_LOADED: dict = {}


def load(text: str, path: str) -> Optional[LoadedYaml]:
    """The file loaded (None when it is not valid YAML); the last few texts are remembered, so
    hover, completion and lenses on one version of a file parse it once (treat it as read-only)."""
    key = (path, text)
    if key in _LOADED:
        return _LOADED[key]
    try:
        loaded = load_yaml(text.replace("\r\n", "\n"), path)
    except YamlError:
        loaded = None
    if len(_LOADED) >= 8:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = loaded
    return loaded


def file_kind(text: str, path: str, loaded: Optional[LoadedYaml]) -> Optional[str]:
    if loaded is not None:
        return detect_file_kind(loaded)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if name in (".policy.yaml", ".policy.yml"):
        return "config"
    if re.search(r"(?m)^kind:[ \t]*Policy[ \t]*$", text):
        return "policy"
    if re.search(r"(?m)^kind:[ \t]*PolicyTest[ \t]*$", text):
        return "policy_test"
    return None


def _paths(loaded: LoadedYaml, keys: tuple, value: Any, offset: int):
    """The paths whose key or value may hold offset (collections not holding it are skipped)."""
    yield keys
    if isinstance(value, (dict, list)) and keys:
        span = loaded.value_span(keys)
        if span is not None and not (span.start <= offset <= span.end):
            return
    if isinstance(value, dict):
        for child in loaded.key_paths(keys):
            yield from _paths(loaded, child, value[child[-1]], offset)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(loaded, keys + (index,), item, offset)


def scalar_index(scalar: ScalarSource, offset: int) -> Optional[int]:
    """The index in the scalar's value of a file offset (None when outside its characters)."""
    whole = scalar.whole
    if not (whole.start <= offset <= whole.end):
        return None
    low, high = 0, len(scalar.value)
    while low < high:  # first index whose character starts at or after offset
        middle = (low + high) // 2
        if scalar.offset(middle) < offset:
            low = middle + 1
        else:
            high = middle
    return low


def schema_node(schema: dict, keys: tuple) -> Optional[dict]:
    """The schema of the value at a data path (list indices step into `items`, unknown keys
    into `additionalProperties`)."""
    definitions = schema.get("$defs", {})
    node = _resolve(schema, definitions)
    for key in keys:
        if node is None:
            return None
        if isinstance(key, int):
            node = _resolve(node.get("items"), definitions)
            continue
        found = (node.get("properties") or {}).get(key)
        if found is None and isinstance(node.get("additionalProperties"), dict):
            found = node["additionalProperties"]
        node = _resolve(found, definitions)
    return node


def _resolve(node, definitions):
    if not isinstance(node, dict):
        return None
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        merged = dict(definitions.get(reference.rsplit("/", 1)[1], {}))
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged
    for option in node.get("anyOf") or ():
        if isinstance(option, dict) and "$ref" in option:
            return _resolve(option, definitions)
    return node


def locate(text: str, path: str, line: int, column: int) -> YamlPosition:
    text = text.replace("\r\n", "\n")
    loaded = load(text, path)
    kind = file_kind(text, path, loaded)
    offset = texts.offset_of(text, line, column)
    if loaded is None or loaded.data is None:
        keys, on_key = _keys_by_indent(text, offset)
        return YamlPosition(text, loaded, kind, offset, keys, on_key, None, None, False,
                            mapping=keys if on_key else None)  # a key half typed (no `:` yet) goes in keys
    best, on_key, best_size = (), False, None
    for keys in _paths(loaded, (), loaded.data, offset):
        for is_key, span in ((True, loaded.key_span(keys)), (False, loaded.value_span(keys))):
            if span is None or not (span.start <= offset <= span.end):
                continue
            size = span.end - span.start
            if best_size is None or size <= best_size:
                best, on_key, best_size = keys, is_key, size
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    after = text[offset:len(text) if line_end < 0 else line_end]
    if re.fullmatch(r"[ \t]*(?:-[ \t]+)?[A-Za-z_]?[\w-]*", text[line_start:offset]) and \
            not re.match(r"[\w-]*[ \t]*:", after):
        keys, _ = _keys_by_indent(text, line_start + len(text[line_start:offset]) - len(
            re.search(r"[\w-]*$", text[line_start:offset]).group(0)))
        return YamlPosition(text, loaded, kind, offset, keys, True, None, None, False, mapping=keys)
    scalar = loaded.scalar(best) if best and not on_key else None
    index = scalar_index(scalar, offset) if scalar is not None else None
    if scalar is not None and index is None:
        scalar = None
    return YamlPosition(text, loaded, kind, offset, best, on_key, scalar, index,
                        scalar is not None and _is_expression(kind, best))


def _is_expression(kind: Optional[str], keys: tuple) -> bool:
    if kind != "policy" or not keys:
        return False
    node = schema_node(load_file_schema("policy"), keys)
    return bool(node and node.get("x-cel"))


def _keys_by_indent(text: str, offset: int) -> tuple:
    """(keys, on_key) from indentation: the `key:` lines above that hold the cursor's line."""
    lines = text[:offset].split("\n")
    current = lines[-1]
    match = _KEY_LINE.match(current)
    keys: list = []
    if match:
        on_key = False
        keys.append(match.group("key"))
        indent = len(match.group("indent"))
        if match.group("dash"):
            keys.insert(0, 0)
    else:
        on_key = True
        stripped = current.lstrip(" ")
        indent = len(current) - len(stripped)
        if stripped.startswith("- "):
            keys.insert(0, 0)
            indent = len(current) - len(stripped)
    for previous in reversed(lines[:-1]):
        if not previous.strip() or previous.lstrip().startswith("#"):
            continue
        prev_indent = len(previous) - len(previous.lstrip(" "))
        if prev_indent >= indent and not (keys and keys[0] == 0 and prev_indent == indent):
            continue
        found = _KEY_LINE.match(previous)
        dash = found.group("dash") if found else None
        if found and dash:
            key_column = prev_indent + len(dash)
            if indent >= key_column and not (keys and keys[0] == 0 and prev_indent == indent):
                if indent > key_column:
                    keys.insert(0, found.group("key"))
                keys.insert(0, 0)
                indent = prev_indent
            continue
        if found and prev_indent < indent:
            if keys and keys[0] == 0 and prev_indent == indent:
                continue
            keys.insert(0, found.group("key"))
            indent = prev_indent
        elif previous.lstrip().startswith("- ") and prev_indent < indent:
            keys.insert(0, 0)
            indent = prev_indent
    return tuple(keys), on_key


# -- the names an expression may use -----------------------------------------------------------

def expression_scope(position: YamlPosition, data: dict) -> Scope:
    """`doc` of the policy's kind, `docs`, `ctx`, `data`, this policy's earlier variables, and
    `item` inside a rule with `forEach`."""
    spec = {}
    if position.loaded is not None and isinstance(position.loaded.data, dict):
        spec = position.loaded.data.get("spec") or {}
    if not isinstance(spec, dict):
        spec = {}
    applies_to = spec.get("appliesTo")
    if not isinstance(applies_to, str):
        found = re.search(r"(?m)^[ \t]*appliesTo:[ \t]*([\w]+)", position.text)
        applies_to = found.group(1) if found else "any"
    try:
        declared = declarations(applies_to, data, {})
    except Exception:  # an unknown kind while typing: no `doc` type
        declared = declarations("any", data, {})
    variables: dict = {}
    texts_: dict = {}
    entries = spec.get("variables") if isinstance(spec.get("variables"), list) else []
    if not entries:
        for name in re.findall(r"(?m)^[ \t]*-[ \t]+name:[ \t]*([A-Za-z_]\w*)", position.text):
            variables[name] = DYN
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        expression = entry.get("expression")
        kind = DYN
        if isinstance(expression, str):
            kind = _type_of(expression, applies_to, data, variables)
            texts_[entry["name"]] = expression
        variables[entry["name"]] = kind
    declared = declarations(applies_to if "doc" in declared else "any", data, variables) \
        if applies_to in APPLIES_TO else declarations("any", data, variables)
    roots = dict(declared)
    keys = position.keys
    if len(keys) >= 3 and keys[:2] == ("spec", "rules") and isinstance(keys[2], int):
        rules = spec.get("rules") if isinstance(spec.get("rules"), list) else []
        rule = rules[keys[2]] if keys[2] < len(rules) and isinstance(rules[keys[2]], dict) else {}
        if isinstance(rule.get("forEach"), str):
            collection = _type_of(rule["forEach"], applies_to, data, variables)
            roots["item"] = element_type(collection)
    return Scope(roots, {name: (variables[name], texts_.get(name, "")) for name in variables})


_TYPE_CACHE: dict = {}


def _type_of(expression: str, applies_to: str, data: dict, variables: dict):
    key = (expression, applies_to, tuple(sorted((k, str(v)) for k, v in variables.items())),
           tuple(sorted(data)))
    if key in _TYPE_CACHE:
        return _TYPE_CACHE[key]
    try:
        declared = declarations(applies_to, data, dict(variables)) if applies_to in APPLIES_TO else \
            declarations("any", data, dict(variables))
        result = compile_expression(expression, declared).result_type
    except (CelError, Exception):  # a half-written expression: its type is unknown
        result = DYN
    if len(_TYPE_CACHE) > 2000:
        _TYPE_CACHE.clear()
    _TYPE_CACHE[key] = result
    return result


def sibling_keys(text: str, offset: int) -> set:
    """The keys already written in the mapping where a new key is being typed (by indentation)."""
    lines = text.split("\n")
    number = text.count("\n", 0, offset)
    current = lines[number]
    stripped = current.lstrip(" ")
    if stripped.startswith("-"):
        return set()  # a new list item: a fresh mapping
    column = len(current) - len(stripped)
    found: set = set()
    for step in (-1, 1):
        index = number + step
        while 0 <= index < len(lines):
            line = lines[index]
            if not line.strip() or line.lstrip().startswith("#"):
                index += step
                continue
            match = _KEY_LINE.match(line)
            indent = len(line) - len(line.lstrip(" "))
            key_column = indent + (len(match.group("dash")) if match and match.group("dash") else 0)
            if key_column < column or (indent < column and not (match and match.group("dash"))):
                break
            if match and key_column == column:
                found.add(match.group("key"))
                if match.group("dash"):
                    break  # the item's first key: the mapping starts here
            index += step
    return found
