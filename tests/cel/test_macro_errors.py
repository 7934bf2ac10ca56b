"""A macro or function called wrongly, as a policy author meets it: one error per mistake, at its
place, saying what the macro takes or which name was meant, the errors in source order."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.cel import CelSyntaxError, CelTypeError, compile
from hotfix_policy.engine.cel.ast import MACRO_USAGE, MACROS

DECLARED = {"l": "list(dyn)", "doc": "map(string, dyn)"}


def only_error(expression: str):
    """The one error compiling `expression` gives, as (kind, column, message)."""
    with pytest.raises((CelSyntaxError, CelTypeError)) as caught:
        compile(expression, declarations=DECLARED)
    error = caught.value
    assert getattr(error, "more", ()) == (), [str(e) for e in error.more]
    return type(error).__name__, error.column, error.message


GROUP = "groupBy takes a variable and a key: groupBy(d, d.month)"
CONDITION = "takes a variable and a condition: "
MAP = ("map takes a variable and a value, with an optional condition between them: "
       "map(x, x * 10) or map(x, x > 1, x * 10)")
SORT = "sortBy takes a variable and a key (or a list of keys): sortBy(h, [h.date, h.key])"


@pytest.mark.parametrize("expression, column, message", [
    ("l.groupBy(i)", 3, f"{GROUP}; found 1 argument"),
    ("l.groupBy(i, i.a, i.b)", 3, f"{GROUP}; found 3 arguments"),
    ("l.groupBy(i.a, i.a)", 11, f"{GROUP}; its first argument must be a variable name"),
    ("l.sortBy()", 3, f"{SORT}; found 0 arguments"),
    ("l.sortBy(.h, h)", 10, f"{SORT}; its first argument must be a variable name"),
    ("l.all(x)", 3, f"all {CONDITION}all(m, m <= 30); found 1 argument"),
    ("l.exists(x, x > 1, x)", 3, f"exists {CONDITION}exists(s, s == 'TESTING'); found 3 arguments"),
    ("l.exists_one('x', true)", 14, f"exists_one {CONDITION}exists_one(x, x > 2); its first argument must be a variable name"),
    ("l.filter(x)", 3, f"filter {CONDITION}filter(m, m > 30); found 1 argument"),
    ("l.map(x)", 3, f"{MAP}; found 1 argument"),
    ("l.map(x, x > 1, x, x)", 3, f"{MAP}; found 4 arguments"),
    ("l.map(1, 2)", 7, f"{MAP}; its first argument must be a variable name"),
    ("groupBy(l, i, i.a)", 1, "groupBy is called on a list or a map: l.groupBy(d, d.month)"),
    ("has(doc)", 1, "has takes one field selection: has(doc.eta)"),
    ("has(doc.a, doc.b)", 1, "has takes one field selection: has(doc.eta)"),
    ("doc.has(a)", 5, "has is not called on a value: it takes one field selection, has(doc.eta)"),
])
def test_a_macro_called_wrongly_is_one_error_saying_what_it_takes(expression, column, message):
    assert only_error(expression) == ("CelSyntaxError", column, message)


def test_every_macro_says_what_it_takes_with_an_example_that_compiles():
    assert set(MACRO_USAGE) == MACROS | {"has"}
    for name, (_, examples) in MACRO_USAGE.items():
        for example in examples.split(" or "):
            compile(example if name == "has" else "l." + example, declarations=DECLARED)


def test_a_misspelt_macro_is_one_error_with_the_macro_meant():
    assert only_error("l.groupby(i, i.branch)") == (
        "CelTypeError", 3, "undeclared reference to function 'groupby'; did you mean `groupBy`?")
    assert only_error("l.exist(s, s == 'TESTING')")[2].endswith("did you mean `exists`?")
    assert only_error("hsa(doc.eta)")[2].endswith("did you mean `has`?")
    with pytest.raises(CelTypeError) as caught:
        compile("l.groupby(i, i.branch)", declarations=DECLARED)
    assert caught.value.suggestion == "groupBy"  # the editor's quick fix


def test_a_misspelt_macro_still_reports_a_mistake_in_its_body_after_it():
    with pytest.raises(CelTypeError) as caught:
        compile("l.fitler(i, i.month == dco.month)", declarations=DECLARED)
    errors = [(e.column, e.message) for e in (caught.value, *caught.value.more)]
    assert errors == [(3, "undeclared reference to function 'fitler'; did you mean `filter`?"),
                      (24, "undeclared reference to 'dco'; did you mean `doc`?")]


def test_errors_come_in_source_order():
    with pytest.raises(CelTypeError) as caught:
        compile("l.sise(dco) + size(lst)", declarations=DECLARED)
    assert [e.column for e in (caught.value, *caught.value.more)] == [3, 8, 20]
