"""YAML with exact positions: load a YAML file into plain data that remembers where every key,
value and character is written, and report JSON Schema errors over that data at those places.

One job, for every YAML file the product reads (policies, policy tests, the config, and the
editor's view of them): an error about a YAML file points at the line and column it is about,
down to a character inside a folded expression. Nothing here knows what the files mean: which
schema applies, what a rule id looks like or what a waiver is belongs to the caller
(`engine/policy/structure.py`). This package imports only leaf modules of the engine
(`engine/span.py`, and `engine/limits.py` for its size, depth and node limits), never `policy`,
`documents` or `editor`.

Public API:

* `load_yaml(text, path)`, `load_yaml_bytes(data, path)` -> `LoadedYaml`, or `YamlError`
  (`load.py`: ruamel.yaml composes, ruamel's safe constructor resolves scalars; timestamps stay
  as written, keys are strings, one document, size, depth and alias limits `MAX_BYTES`,
  `MAX_DEPTH`, `MAX_NODES`: `engine/limits.py`'s `MAX_YAML_*`, the node and depth limits
  enforced as the parser produces events, so a huge file is refused early); `bound_events(yaml,
  text, path)` puts the same node and depth limits on a ruamel `YAML` object of the caller's;
  `remembered_yaml(data, path, plain)`: the `LoadedYaml` of bytes a caller loaded before and
  kept the data of, parsed again only when a position is asked for.
* `LoadedYaml`: `.data`, `.text`, `.path`; `key_span`, `value_span`, `span_of`, `scalar`, `has`,
  `key_paths` by a path of keys and list indexes. `ScalarSource`: one string's characters
  mapped back to the file (`span`, `span_at`, `offset`, `index_of`, `whole`) (`located.py`,
  re-scanned per YAML 1.2 style rules in `scalar_scan.py`).
* `schema_validator(schema)`: a Draft 2020-12 validator that checks `date`/`date-time` and the
  `x-typo-check` keyword; `is_date`, `is_date_time`, `likely_typo_of` (`schema_validator.py`).
* `check_against_schema(loaded, validator, named_patterns)` -> `StructureError`s with plain-words
  messages at the offending key or value; `schema_problems(value, validator, root, ...)` for a
  value without a file; `NamedPattern` names a schema's pattern in messages (`schema_errors.py`).
"""

from .load import MAX_BYTES, MAX_DEPTH, MAX_NODES, YamlError, bound_events, load_yaml, load_yaml_bytes, remembered_yaml
from .located import LoadedYaml, ScalarSource
from .schema_validator import is_date, is_date_time, likely_typo_of, schema_validator

_CHECKING = ("NamedPattern", "StructureError", "check_against_schema", "schema_problems")
"""`schema_errors.py`'s, loaded on first use: a run whose configuration passed before
(`policy/cache.py`) and whose policies come from the policy cache checks nothing against a
schema."""


def __getattr__(name: str):
    if name in _CHECKING:
        from . import schema_errors

        return getattr(schema_errors, name)
    raise AttributeError(name)


__all__ = [
    "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "LoadedYaml", "bound_events", "NamedPattern", "ScalarSource",
    "StructureError", "YamlError", "check_against_schema", "is_date", "is_date_time",
    "likely_typo_of", "load_yaml", "load_yaml_bytes", "remembered_yaml", "schema_problems", "schema_validator",
]
