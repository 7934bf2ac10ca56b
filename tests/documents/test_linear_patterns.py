"""The patterns rewritten to run in linear time read every line as the old ones did.

Each old pattern (quadratic on a long run of spaces) is kept here as the reference, and the new
code is compared with it on generated lines made of the characters that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.documents import markdown, reader, scopes
from hotfix_policy.engine.documents.extract import _TIME_PREFIX, _inline_label_rx
from hotfix_policy.engine.documents.schema_patterns import schema_pattern
from hotfix_policy.engine.documents.schemas import load_schema
from hotfix_policy.engine.kinds import FILE_KINDS

OLD_ATX = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
OLD_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
OLD_SIMPLE_ENTRY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*")
OLD_TIME_PREFIX = re.compile(
    r"(?:\*\*|__)?(?P<time>\[[^\]\n]*\]|\d[^*_|\n]*?|[A-Z][a-z]{2}\s[^*_|\n]*?)(?:\*\*|__)?"
    r"(?:[ \t]+[-–—|][ \t]+|[ \t]*[–—|][ \t]*|:[ \t]+)")
OLD_TRAIL = "[\\s*_:]*$"


def line_of(*pieces):
    return st.lists(st.sampled_from(pieces), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(line_of("#", "##", " ", "\t", "a", "b c", "\\", "# a"))
def test_atx_heading_reads_as_the_old_pattern(line):
    old = OLD_ATX.match(line)
    new = markdown.atx_heading(line, 0, len(line))
    if old is None:
        assert new is None
    elif old.group(2):
        assert new == (len(old.group(1)), old.start(2), old.end(2))
    else:
        assert new == (len(old.group(1)), old.end(1), old.end(1))


@settings(max_examples=500, deadline=None)
@given(line_of("|", "-", "--", ":", " ", "\t", "a"))
def test_table_rule_reads_as_the_old_pattern(line):
    new = markdown._TABLE_RULE.fullmatch(line, *markdown._strip(line, 0, len(line)))
    assert (new is not None) == (OLD_TABLE_RULE.match(line) is not None)


@settings(max_examples=500, deadline=None)
@given(line_of("key", "_k-1", ":", " ", "\t", "a", "#", ": ", "v w"))
def test_a_simple_front_matter_entry_reads_as_before(line):
    old = OLD_SIMPLE_ENTRY.fullmatch(line)
    source = reader.SourceText(line)
    simple = reader._parse_simple(source, line, 0)
    if not line.strip() or line.lstrip().startswith("#"):
        assert simple and source.front_matter == {}   # blank and comment lines are skipped
    elif old is None or reader._YAML_SPECIAL.search(old.group(2)):
        assert not simple
    else:
        assert source.front_matter_spans[old.group(1)] == old.span(2)


@settings(max_examples=500, deadline=None)
@given(line_of("1", "13:05", " ", "\t", "-", " - ", "|", "—", ":", "**", "__", "a", "[T]", "Nov ", "x"))
def test_a_list_item_time_reads_as_before(line):
    old, new = OLD_TIME_PREFIX.match(line), _TIME_PREFIX.match(line)
    assert (old and (old.span("time"), old.end())) == (new and (new.span("time"), new.end()))


@settings(max_examples=500, deadline=None)
@given(line_of("a", " ", "\t", "-", " - ", "(", ";", "Owner", "Due", ":", "**", " Owner:"))
@example("a Owner: (Owner:")  # a `(` right after the previous label's value spaces
def test_inline_labels_read_as_before(line):
    rx = _inline_label_rx(("Owner", "Due"))
    old = re.compile(rx.pattern.replace("(?:(?<![ \\t])|(?=\\())", "", 1), re.I)
    # items start after the bullet's spaces, so a line never starts with one
    line = line.lstrip(" \t")
    assert [m.span("label") for m in old.finditer(line)] == [m.span("label") for m in rx.finditer(line)]


@settings(max_examples=500, deadline=None)
@given(line_of("INCIDENT UPDATE", "INCIDENT DECLARED", "PRODUCTION ", " - ", "-", " ", "10:45", "*", "**",
               "_", ":", "x", "—"))
def test_markers_read_as_before(line):
    for kind in ("incident", "status_update"):
        definitions = scopes.definitions_of(load_schema(kind))
        marker_rx, groups, _, _ = scopes._compile(definitions)
        old = re.compile(marker_rx.pattern[:-len(scopes._TRAIL)] + OLD_TRAIL, re.I)
        assert scopes._match_marker(marker_rx, groups, line, 0, len(line)) == \
            scopes._match_marker(old, groups, line, 0, len(line))


def _x_source_patterns() -> list:
    found = []

    def walk(node):
        if isinstance(node, dict):
            source = node.get("x-source")
            for item in ([source] if isinstance(source, dict) else source or []):
                found.extend(item[key] for key in ("pattern", "title") if key in item)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for kind in FILE_KINDS:
        walk(load_schema(kind))
    return sorted(set(found))


@settings(max_examples=300, deadline=None)
@given(line_of("hotfix", "(api)", "(", ")", "!", ":", " ", "\u00a0", "\t", "INC-", "2041", "٢٠٤١", "v1.2.3", "-",
               "Post Incident Review", "Hotfix ", "é", "_", "2026-10-27", "T13:05Z", "x"))
def test_schema_patterns_on_re2_find_what_re_finds(line):
    patterns = _x_source_patterns()
    assert len(patterns) >= 8
    for pattern in patterns:
        old = re.compile(pattern, re.I).search(line)
        expected = old.span("value") if old is not None and old.group("value") is not None else None
        assert schema_pattern(pattern).value_span("<" + line + ">", 1, len(line) + 1) == (
            None if expected is None else (expected[0] + 1, expected[1] + 1)), pattern
