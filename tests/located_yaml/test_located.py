"""Where a loaded file's parts are written: key and value spans, and offsets inside a scalar."""

from __future__ import annotations

from hotfix_policy.engine.located_yaml import load_yaml
from tests.located_yaml.scalar_assertions import pieces


# ---------------------------------------------------------------------------------------------
# key and value spans
# ---------------------------------------------------------------------------------------------

POLICY = """\
apiVersion: policy/v1
kind: Policy
spec:
  rules:
    - id: PR006
      severity: "error"
      expression: >-
        doc.a &&
        doc.b
    - {id: PR007, tags: [a, b]}
"""


def test_key_and_value_spans():
    loaded = load_yaml(POLICY, "p.yaml")
    span = loaded.key_span(("spec", "rules", 0, "severity"))
    assert (span.line, span.column, span.end_line, span.end_column) == (6, 7, 6, 15)
    value = loaded.value_span(("spec", "rules", 0, "severity"))
    assert value.slice(POLICY) == '"error"'
    assert (value.line, value.column) == (6, 17)
    assert loaded.value_span(("spec", "rules", 0, "expression")).slice(POLICY) == ">-\n        doc.a &&\n        doc.b"
    assert loaded.value_span(("spec", "rules", 1)).slice(POLICY) == "{id: PR007, tags: [a, b]}"
    assert loaded.value_span(("spec", "rules", 1, "tags", 1)).slice(POLICY) == "b"
    assert loaded.key_span(("spec", "rules", 1)) is None  # list items have no key
    block = loaded.value_span(("spec", "rules", 0))
    assert block.slice(POLICY).startswith("id: PR006") and block.slice(POLICY).endswith("doc.b")
    assert loaded.value_span(("spec",)).slice(POLICY).endswith("tags: [a, b]}")


def test_span_of_falls_back():
    loaded = load_yaml("a:\n  b:\n  c: 1\n", "f.yaml")
    assert loaded.span_of(("a", "b")).slice(loaded.text) == "b"  # empty value -> its key
    assert loaded.span_of(("a", "c")).slice(loaded.text) == "1"
    assert loaded.span_of(("a", "zzz", 3)).slice(loaded.text).startswith("b:")  # ancestor
    assert loaded.span_of(("nope",)).start == 0


def test_spans_with_anchor_and_tag_skip_the_properties():
    text = "a: &x !!str  hello\nb: !!str |\n  text\n"
    loaded = load_yaml(text, "f.yaml")
    assert loaded.value_span(("a",)).slice(text) == "hello"
    assert loaded.value_span(("b",)).slice(text) == "|\n  text"
    assert pieces(text, loaded.scalar(("b",))) == ["t", "e", "x", "t", "\n"]


def test_columns_count_code_points():
    text = "é😀: {k: \"😀x\"}\n"
    loaded = load_yaml(text, "f.yaml")
    span = loaded.scalar(("é😀", "k")).span(1, 2)
    assert span.slice(text) == "x"
    assert (span.line, span.column) == (1, 11)  # é 😀 : sp { k : sp " 😀 -> x is the 11th


def test_scalar_only_for_strings():
    loaded = load_yaml("a: 1\nb: [x]\nc: text\n", "f.yaml")
    assert loaded.scalar(("a",)) is None
    assert loaded.scalar(("b",)) is None
    assert loaded.scalar(("missing",)) is None
    assert loaded.scalar(("c",)).value == "text"


def test_key_paths_in_file_order():
    loaded = load_yaml("m: {b: 1, a: 2}\n", "f.yaml")
    assert loaded.key_paths(("m",)) == [("m", "b"), ("m", "a")]


def test_span_of_a_cel_error_inside_a_folded_expression():
    text = "rules:\n  - expression: >-\n      doc.a &&\n      doc.severty == 'x'\n"
    source = load_yaml(text, "p.yaml").scalar(("rules", 0, "expression"))
    assert source.value == "doc.a && doc.severty == 'x'"
    start = source.value.index("severty")
    span = source.span(start, start + len("severty"))
    assert (span.line, span.column, span.end_line, span.end_column) == (4, 11, 4, 18)
    assert source.span_at(1, start + 1).column == 11
    # empty ranges and the end of the value
    assert source.span(3, 3).start == source.span(3, 4).start
    assert source.span(len(source.value), len(source.value)).start == span.end + len(" == 'x'")


def test_span_at_lines_of_a_literal_expression():
    text = "e: |\n  a +\n    b.c\n"
    source = load_yaml(text, "p.yaml").scalar(("e",))
    span = source.span_at(2, 3, 2, 6)
    assert span.slice(text) == "b.c"
    assert (span.line, span.column) == (3, 5)


def test_fallback_when_rescan_cannot_match():
    text = "k: value\n"
    loaded = load_yaml(text, "f.yaml")
    entry = loaded._index[("k",)]
    entry.node.value = "something else"  # simulate a disagreement with ruamel
    loaded._cache.clear()
    loaded.data["k"] = "something else"
    source = loaded.scalar(("k",))
    assert not source.exact
    assert source.span(2, 4).slice(text) == "value"
    assert source.span(2, 4).column == 4
