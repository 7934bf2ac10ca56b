"""The text format, pinned exactly: headers, excerpts, carets, colour, summary."""

from __future__ import annotations

from hotfix_policy.engine.report import render
from hotfix_policy.engine.diagnostics import MAX_WIDTH, caret_excerpt

from .helpers import E, I, W, at, finding, report

SOURCE = "# INC-7: Card payments\n\nSeverity: SEVERE\nCommander: dana\n"


def small_report():
    return report([
        finding("INC004", E, "Commander is not an @handle", "inc.md", at(SOURCE, "dana"),
                kind="incident"),
        finding("INC001", E, "Severity is not one of CRITICAL, HIGH, MEDIUM", "inc.md",
                at(SOURCE, "SEVERE")),
        finding("PR009", W, "12 changed files (at most 10)", "pr.md", waived=True),
        finding("GIT001", W, "hotfix reached main by fast-forward", "commit:abc1234"),
    ], documents=12, sources={"inc.md": SOURCE})


def test_text_output_exactly():
    assert render(small_report(), "text") == (
        "commit:abc1234: warning GIT001 hotfix reached main by fast-forward\n"
        "\n"
        "inc.md:3:11: error INC001 Severity is not one of CRITICAL, HIGH, MEDIUM\n"
        " 3 | Severity: SEVERE\n"
        "   |           ^^^^^^\n"
        "\n"
        "inc.md:4:12: error INC004 Commander is not an @handle\n"
        " 4 | Commander: dana\n"
        "   |            ^^^^\n"
        "\n"
        "pr.md: warning PR009 12 changed files (at most 10) (waived)\n"
        "\n"
        "2 errors, 1 warning, 0 info in 12 documents (1 waived)\n")


def test_text_output_in_colour():
    red, yellow, bold, dim, reset = "\x1b[1;31m", "\x1b[1;33m", "\x1b[1m", "\x1b[2m", "\x1b[0m"
    lines = render(small_report(), "text", color=True).splitlines()
    assert lines[0] == f"commit:abc1234: {yellow}warning{reset} {bold}GIT001{reset} hotfix reached main by fast-forward"
    assert lines[2] == f"inc.md:3:11: {red}error{reset} {bold}INC001{reset} Severity is not one of CRITICAL, HIGH, MEDIUM"
    assert lines[4] == f"   |           {red}^^^^^^{reset}"
    assert lines[10] == f"pr.md: {yellow}warning{reset} {bold}PR009{reset} 12 changed files (at most 10) {dim}(waived){reset}"
    assert lines[-1] == "2 errors, 1 warning, 0 info in 12 documents (1 waived)"


def test_no_colour_means_no_escape_codes():
    assert "\x1b" not in render(small_report(), "text")


def test_summary_when_nothing_was_found():
    assert render(report([], documents=12), "text") == "No findings in 12 documents\n"
    assert render(report([], documents=1), "text") == "No findings in 1 document\n"


def test_summary_counts_waived_only_as_waived():
    text = render(report([finding("A1", I, "x", waived=True)], documents=2), "text")
    assert text.endswith("\n0 errors, 0 warnings, 0 info in 2 documents (1 waived)\n")


def test_findings_sort_by_path_line_column_rule():
    src = "ab\ncd\n"
    findings = [finding("B", E, "m", "b.md", at(src, "a")), finding("Z", E, "m", "a.md", at(src, "d")),
                finding("A", E, "m", "a.md", at(src, "d")), finding("C", E, "m", "a.md", at(src, "b")),
                finding("D", E, "m", "a.md")]
    headers = [line for line in render(report(findings), "text").splitlines() if ": error " in line]
    assert headers == ["a.md: error D m", "a.md:1:2: error C m", "a.md:2:2: error A m",
                       "a.md:2:2: error Z m", "b.md:1:1: error B m"]


def excerpt(source: str, span) -> list[str]:
    number, shown, offset, width = caret_excerpt(source, span)
    return [shown, " " * offset + "^" * width]


def test_tabs_expand_so_the_caret_aligns():
    src = "\tBranch:\thotfix/x\n"
    assert excerpt(src, at(src, "hotfix/x")) == ["    Branch: hotfix/x", "            ^^^^^^^^"]


def test_wide_characters_take_two_cells():
    src = "### 🔄 UPDATE - 10:45 — 事件 x\n"
    assert excerpt(src, at(src, "10:45")) == [src.rstrip("\n"), " " * 16 + "^^^^^"]
    assert excerpt(src, at(src, "x")) == [src.rstrip("\n"), " " * 29 + "^"]


def test_combining_marks_take_no_cell():
    src = "Cafe\u0301 x"
    assert excerpt(src, at(src, "x"))[1] == "     ^"


def test_multi_line_span_is_underlined_to_the_end_of_its_first_line():
    src = "Status: FIXING\nmore\n"
    assert excerpt(src, at(src, "FIXING\nmo")) == ["Status: FIXING", "        ^^^^^^"]


def test_empty_span_and_span_at_end_of_line_get_one_caret():
    src = "Issue:\nnext"
    assert excerpt(src, at(src, ":")._replace(start=6, end=6, column=7, end_column=7)) == [
        "Issue:", "      ^"]


def test_crlf_source_lines_lose_their_carriage_return():
    src = "Severity: BAD\r\nnext\r\n"
    assert excerpt(src, at(src, "BAD")) == ["Severity: BAD", "          ^^^"]


def test_span_outside_the_source_gets_no_excerpt():
    src = "one line"
    far = at(src, "one")._replace(line=9, end_line=9)
    assert caret_excerpt(src, far) is None
    text = render(report([finding("X1", E, "m", "doc.md", far)], sources={"doc.md": src}), "text")
    assert text == "doc.md:9:1: error X1 m\n\n1 error, 0 warnings, 0 info in 1 document\n"


def test_long_lines_are_cut_around_the_span():
    src = "x" * 300 + " TARGET " + "y" * 300
    shown, carets = excerpt(src, at(src, "TARGET"))
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) == MAX_WIDTH + 2
    assert shown[carets.index("^"):][:6] == "TARGET" and carets.count("^") == 6


def test_long_line_end_keeps_the_end_of_line():
    src = "x" * 300 + " END"
    shown, carets = excerpt(src, at(src, "END"))
    assert shown.startswith("…") and shown.endswith(" END") and len(shown) == MAX_WIDTH + 1
    assert shown[carets.index("^"):] == "END"


def test_long_span_is_underlined_to_the_cut():
    src = "a " + "z" * 400
    shown, carets = excerpt(src, at(src, "z" * 400))
    assert shown.endswith("…") and carets == "  " + "^" * (MAX_WIDTH - 2)


def test_control_characters_are_shown_escaped():
    src = "Issue: \x1b[31mred\u202e\n"
    lines = render(report([finding("X1", E, "bad \x1b]0;title\x07", "a\x1bb.md", at(src, "red"))],
                          sources={"a\x1bb.md": src}), "text").splitlines()
    assert lines[0] == "a\\x1bb.md:1:13: error X1 bad \\x1b]0;title\\x07"
    assert lines[1:3] == [" 1 | Issue: \\x1b[31mred\\u202e", "   |                ^^^"]


def test_multi_line_messages_are_indented():
    text = render(report([finding("X1", E, "first\nsecond")]), "text")
    assert text.startswith("doc.md: error X1 first\n    second\n")
