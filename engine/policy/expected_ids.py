"""The rule ids a policy test or a rule example expects, checked against the rules that can fire
in it (its folder's policies and the engine's findings).

An id no policy defines (`OSP001` for OPS001) makes a case fail forever when it is expected on
a document, and proves nothing when it is not: it is a mistake in the test, reported with a
"did you mean" as `policy check` reports an unknown id in `rules:`. A malformed id (`OPS01`) is
already a shape error of its file; it gets the suggestion too, one message per mistake.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import closest_rule, meant
from .file_errors import RULE_ID
from .loader import read_yaml
from .model import LocatedError
from .structure import RULE_ID_PATTERN


def expected_id_mistakes(test_files: list, policies, known: set, errors: list) -> None:
    """Append an error for each unknown rule id under `expect` in the test files and the
    policies' rule examples; add the suggestion to the shape error of each malformed one."""
    for file in test_files:
        loaded = read_yaml(file, [])
        data = loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}
        _check(loaded, [(("cases", index), case) for index, case in enumerate(_list(data.get("cases")))], known, errors)
    for policy in policies.policies:
        if not any(_expects_unknown(example, known) for rule in policy.rules
                   for example in _list(rule.docs.get("examples"))):
            continue  # the usual case: the file is not parsed a second time just to find nothing
        loaded = read_yaml(Path(policy.path), [])
        spec = loaded.data.get("spec") if loaded is not None and isinstance(loaded.data, dict) else None
        rules = _list(spec.get("rules")) if isinstance(spec, dict) else []
        _check(loaded, [(("spec", "rules", index, "docs", "examples", number), example)
                        for index, rule in enumerate(rules) for number, example in enumerate(_examples(rule))],
               known, errors)


def _examples(rule) -> list:
    docs = rule.get("docs") if isinstance(rule, dict) else None
    return _list(docs.get("examples")) if isinstance(docs, dict) else []


def _expects_unknown(example, known: set) -> bool:
    expect = example.get("expect") if isinstance(example, dict) else None
    return any(not isinstance(rule_id, str) or rule_id not in known
               for ids in (expect.values() if isinstance(expect, dict) else ()) for rule_id in _list(ids))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _check(loaded, cases: list, known: set, errors: list) -> None:
    """`cases`: (keys in the file, the case as written) pairs."""
    for keys, case in cases:
        expect = case.get("expect") if isinstance(case, dict) else None
        for document, ids in expect.items() if isinstance(expect, dict) else ():
            for position, rule_id in enumerate(_list(ids)):
                if not isinstance(rule_id, str) or rule_id in known:
                    continue
                span = loaded.span_of(keys + ("expect", document, position))
                suggestion = closest_rule(rule_id, known)
                if re.match(RULE_ID_PATTERN, rule_id):
                    errors.append(LocatedError(loaded.path, span, f"expect: unknown rule id {rule_id}{meant(suggestion)}",
                                               RULE_ID, suggestion))
                elif suggestion:
                    _suggest(errors, loaded.path, span, suggestion)


def _suggest(errors: list, path: str, span, suggestion: str) -> None:
    """The shape error at `span` ("must be a rule id") with the suggestion added."""
    for index, error in enumerate(errors):
        if error.path == path and error.span == span and error.suggestion is None:
            errors[index] = LocatedError(path, span, error.message + meant(suggestion), error.code, suggestion)
