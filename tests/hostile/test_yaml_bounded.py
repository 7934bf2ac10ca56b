"""A YAML file (policy, policy test, configuration) costs at most what its limits allow, however
large it is: values and nesting are counted as ruamel's parser produces them, so a file of a
million list items is refused after `MAX_YAML_NODES` of them, with one line that says where."""

from __future__ import annotations

import tracemalloc

import pytest
from ruamel.yaml.parser import Parser

from hotfix_policy.engine.limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from hotfix_policy.engine.located_yaml import YamlError, load_yaml

POLICY = "apiVersion: policy/v1\nkind: Policy\nmetadata: {name: big}\nspec:\n  appliesTo: incident\n  rules:\n"


def _events_until_refused(monkeypatch, text: str) -> tuple:
    """(parser events read, the error) for a text the loader refuses."""
    read = []
    original = Parser.get_event

    def counting(self):
        read.append(1)
        return original(self)
    monkeypatch.setattr(Parser, "get_event", counting)
    with pytest.raises(YamlError) as refused:
        load_yaml(text, "big.policy.yaml")
    return len(read), refused.value


@pytest.mark.parametrize("item", ["  - 1\n", "  - [1, 2, 3]\n", "  - {a: 1}\n"])
def test_a_huge_list_is_refused_after_the_limit_not_after_reading_it(item, monkeypatch):
    count = MAX_YAML_BYTES // (3 * len(item))  # twice as many still fit the size limit
    small, error = _events_until_refused(monkeypatch, POLICY + item * count)
    large, _ = _events_until_refused(monkeypatch, POLICY + item * 2 * count)
    assert count > MAX_YAML_NODES
    assert large == small <= 2 * MAX_YAML_NODES
    assert "too many values" in error.message and error.line > 1
    assert str(error).startswith(f"big.policy.yaml:{error.line}:{error.column}: ")
    assert "\n" not in str(error)


def test_a_flow_list_on_one_line_is_refused_where_the_limit_is_reached(monkeypatch):
    count, error = _events_until_refused(monkeypatch, "items: [" + "1, " * (MAX_YAML_BYTES // 4) + "]\n")
    assert count <= 2 * MAX_YAML_NODES + 10
    assert error.line == 1 and error.column > 3 * MAX_YAML_NODES - 10


def test_memory_stays_bounded_whatever_the_size():
    def peak(items):
        tracemalloc.start()
        with pytest.raises(YamlError):
            load_yaml(POLICY + "  - 1\n" * items, "big.policy.yaml")
        _, highest = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return highest

    small, large = peak(80_000), peak(160_000)  # the texts themselves (a few hundred KB) are traced too
    assert large <= 1.25 * small, f"peak {small:,} -> {large:,} bytes when the file doubles"


def test_deep_nesting_is_refused_where_it_gets_too_deep(monkeypatch):
    count, error = _events_until_refused(monkeypatch, "a: " + "[" * (10 * MAX_YAML_DEPTH) + "]" * (10 * MAX_YAML_DEPTH))
    assert error.message == f"nested deeper than {MAX_YAML_DEPTH} levels"
    assert (error.line, error.column) == (1, 4 + MAX_YAML_DEPTH)   # the first `[` too many (after `a: `)
    assert count <= MAX_YAML_DEPTH + 10


def test_a_documents_front_matter_is_bounded_likewise(monkeypatch):
    """Front matter is YAML from a user too: the same limits, as a SCHEMA001 finding at the place."""
    from hotfix_policy.engine.documents import parse_document

    def events(items):
        read = []
        original = Parser.get_event

        def counting(self):
            read.append(1)
            return original(self)
        with monkeypatch.context() as patch:
            patch.setattr(Parser, "get_event", counting)
            document = parse_document("---\nkind: incident\nlist: [" + "a, " * items + "]\n---\n# INC-1: x\n",
                                      path="INC-1.md")  # one line: the document's line limit is lower
        return len(read), document

    small, document = events(2 * MAX_YAML_NODES)
    large, _ = events(4 * MAX_YAML_NODES)
    assert large == small <= 2 * MAX_YAML_NODES
    [finding] = [f for f in document.findings if f.rule == "SCHEMA001"]
    # the value one past the limit: 4 values come before the list's items (the mapping, `kind`,
    # its value, `list`) and the list itself is one, so it is item MAX - 4, on line 3 after MAX - 5 `a, `
    assert "too many values" in finding.message and finding.span.line == 3
    assert finding.span.column == len("list: [") + 3 * (MAX_YAML_NODES - 5) + 1


def _nested_aliases(levels: int) -> str:
    """A kilobyte of front matter that reads as 9**levels values: each list repeats the last."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, levels)]
    return "\n".join(lines)


@pytest.mark.parametrize("aliases", [_nested_aliases(9), "loop: &loop [1, *loop]"],
                         ids=["billions of values", "a list that holds itself"])
def test_front_matter_whose_aliases_read_as_too_many_values_is_refused_at_once(aliases):
    """Aliases load as shared lists, so the parser's own count sees a few dozen values; read with
    them expanded (the secret scan, rules) they never end. The document fails; the run goes on."""
    from hotfix_policy.engine.documents import parse_document

    document = parse_document(f"---\nkind: incident\n{aliases}\n---\n# INC-1: x\n", path="INC-1.md")
    [finding] = [f for f in document.findings if f.rule == "SCHEMA001"]
    assert f"more than {MAX_YAML_NODES:,} with aliases expanded" in finding.message
    assert finding.severity.value == "error" and finding.span.line == 2
    assert document.kind == "incident" and "a0" not in document.data and "loop" not in document.data


def test_front_matter_with_aliases_within_the_limit_reads_them():
    from hotfix_policy.engine.documents import parse_document

    document = parse_document(f"---\nkind: incident\n{_nested_aliases(3)}\n---\n# INC-1: x\n", path="INC-1.md")
    assert not [f for f in document.findings if "aliases" in f.message]


def _merges_doubling(levels: int) -> str:
    """Each mapping merges the last one twice (`<<: [*m, *m]`): a few hundred bytes that ruamel
    flattens into 2**levels keys while it constructs, before the loaded data can be counted."""
    lines = ["m0: &m0 {a: 1, b: 2}"]
    lines += [f"m{level}: &m{level} {{<<: [*m{level - 1}, *m{level - 1}], k{level}: 1}}" for level in range(1, levels)]
    return "\n".join(lines)


def _merges_wide(keys: int, aliases: int) -> str:
    """One large mapping merged through a list of many aliases to it: keys x aliases to go through."""
    big = "big: &a {" + ", ".join(f"k{n}: {n}" for n in range(keys)) + "}"
    return big + "\nwide: {<<: [" + ", ".join(["*a"] * aliases) + "]}"


MERGE_BOMBS = [_merges_doubling(18), _merges_wide(2_000, 100)]
MERGE_BOMB_IDS = ["a merge that doubles at each level", "a large mapping merged through many aliases"]


@pytest.mark.parametrize("bomb", MERGE_BOMBS, ids=MERGE_BOMB_IDS)
def test_front_matter_whose_merge_keys_expand_too_far_is_refused(bomb):
    from hotfix_policy.engine.documents import parse_document

    document = parse_document(f"---\nkind: incident\n{bomb}\n---\n# INC-1: x\n", path="INC-1.md")
    [finding] = [f for f in document.findings if f.rule == "SCHEMA001"]
    assert finding.message == ("front matter is refused: merge keys ('<<') expand to too many values "
                               f"(more than {MAX_YAML_NODES:,})")
    assert finding.span.line > 2 and document.kind == "incident"


def test_the_work_of_a_merge_bomb_stops_at_the_limit_not_at_its_size():
    """Twice the levels would be four times the keys: refused at the same level, the work is the same."""
    from hotfix_policy.engine.documents import parse_document

    from .work import bytes_allocated, growth

    def parse(levels):
        return lambda: parse_document(f"---\nkind: incident\n{_merges_doubling(levels)}\n---\n# INC-1: x\n",
                                      path="INC-1.md")
    assert growth(bytes_allocated, parse(18), parse(20)) < 1.3


@pytest.mark.parametrize("bomb", MERGE_BOMBS, ids=MERGE_BOMB_IDS)
def test_a_vars_file_whose_merge_keys_expand_too_far_is_one_line_that_says_where(bomb, tmp_path):
    from hotfix_policy.cli.config_files import read_data_file
    from hotfix_policy.engine.errors import UsageError

    path = tmp_path / "vars.yaml"
    path.write_text(bomb + "\n")
    with pytest.raises(UsageError) as refused:
        read_data_file(str(path))
    assert str(refused.value).startswith(f"{path}:")
    assert str(refused.value).endswith(f"merge keys ('<<') expand to too many values (more than {MAX_YAML_NODES:,})")


def test_a_policy_file_that_merges_a_large_mapping_through_many_aliases_is_refused():
    """Nested merge keys are refused outright in policy files; many merges of one mapping are counted."""
    body = _merges_wide(2_000, 100).replace("\n", "\n  ")
    with pytest.raises(YamlError) as refused:
        load_yaml(POLICY.replace("spec:\n", f"x:\n  {body}\nspec:\n"), "wide.policy.yaml")
    assert refused.value.message == f"merge keys ('<<') expand to too many values (more than {MAX_YAML_NODES:,})"
    assert refused.value.line == 6  # the `<<` of `wide`


def test_merge_keys_within_the_limit_still_merge_in_front_matter_and_vars(tmp_path):
    from hotfix_policy.cli.config_files import read_data_file
    from hotfix_policy.engine.documents.reader import SourceText, read_front_matter

    merging = "defaults: &d {severity: SEV2, service: api}\nown: {<<: *d, service: web}\n"
    text = f"---\n{merging}---\n# INC-7: x\n"
    source = SourceText(text)
    read_front_matter(source, text)
    assert source.front_matter["own"] == {"severity": "SEV2", "service": "web"} and not source.problems
    path = tmp_path / "vars.yaml"
    path.write_text(merging)
    assert read_data_file(str(path))["own"] == {"severity": "SEV2", "service": "web"}


@pytest.mark.parametrize("text, place, message", [
    (_nested_aliases(9), "1:1", f"too many values (more than {MAX_YAML_NODES:,} with aliases expanded)"),
    ("loop: &loop [1, *loop]\n", "1:1", f"too many values (more than {MAX_YAML_NODES:,} with aliases expanded)"),
    ("m: &m {a: {<<: *m}}\n", "1:1", "too many values"),
    ("a: 1\nb:\n  x: 2026-02-30\n", "3:6", "invalid YAML: day is out of range for month"),
    ("x: !!float abc\n", "1:4", "invalid YAML: could not convert string to float: 'abc'"),
    ("a: 1\nx: !!binary QUtJQQ==\n", "2:4", "a binary value (`!!binary`) is not supported: write it as text"),
    ("x: 9999-12-31T23:59:59-23:00\n", "1:4", "the time 9999-12-31T23:59:59-23:00 is out of range in UTC"),
    ("a: 1\n? [1, 2]\n: x\n", "2:3", "a list or a map cannot be a key: write it as text"),
    ('a: 1\nb: "x\x01y"\n', "2:6", "invalid YAML: control character U+0001 is not allowed"),
], ids=["billions of values", "a list that holds itself", "a mapping merged into itself", "no such day",
        "a float that is not one", "binary", "a time past the last one in UTC", "a list as a key",
        "a control character"])
def test_a_vars_file_that_reads_as_too_much_or_does_not_convert_is_one_line(text, place, message, tmp_path):
    """`policy eval --vars` loads with ruamel's safe constructor, which shares aliases and converts
    dates: counted with the aliases expanded, as front matter is, and a value that does not
    convert is a usage error at that value (ruamel's own errors for it say nowhere), never a
    traceback."""
    from hotfix_policy.cli.config_files import read_data_file
    from hotfix_policy.engine.errors import UsageError

    path = tmp_path / "vars.yaml"
    path.write_text(text)
    with pytest.raises(UsageError) as refused:
        read_data_file(str(path))
    shown = str(refused.value)
    assert shown.startswith(f"{path}:{place}: ") and message in shown and "\n" not in shown
