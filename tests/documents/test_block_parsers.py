"""The fast Markdown parser (markdown-it-pyrs, the `fast` extra) gives the outline markdown-it-py
gives, entry for entry, on every document extraction reads, or is not used for that document.

Compared on generated records, reviews and PR bodies (the benchmark's generator), every example
and test Markdown file, the real documents of ../shared/corpus (the golden inputs among them),
and hypothesis-generated hostile Markdown: nested and empty list items, fences open and closed,
HTML blocks, setext headings, tables, block quotes, tabs, CRLF, NUL and any unicode.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.documents import blocks, cache as cache_module, markdown
from hotfix_policy.engine.span import LineIndex

from ..conftest import benchmark_corpus

pytest.importorskip("markdown_it_pyrs", reason="the fast parser (extra `fast`) is not installed")

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def _parsing_with(parse):
    chosen, markdown.blocks = markdown.blocks, parse
    try:
        yield
    finally:
        markdown.blocks = chosen


def _outline(text: str, parse) -> list:
    with _parsing_with(parse):
        return markdown.outline(text, LineIndex(text))


def assert_same_outline(text: str) -> None:
    """The outline extraction uses (fast parser where it reads alike) equals the reference's, on
    the text as the loader hands it over (line ends made `\n`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    assert _outline(text, blocks.blocks) == _outline(text, blocks.reference_blocks), repr(text)


def _generated() -> list:
    corpus = benchmark_corpus()
    rng = random.Random(15)
    texts = []
    for number in range(150):
        texts += [corpus.incident(rng, number), corpus.review(rng, number), corpus.pull_request(rng, number),
                  corpus.incident(rng, number, updates=(3, 13), notes=(0, 1))]
    return texts


def _texts(paths) -> list:
    return [path.read_text(encoding="utf-8", errors="replace") for path in sorted(paths)]


def test_generated_documents_read_alike_and_take_the_fast_parser():
    texts = _generated()
    for text in texts:
        assert_same_outline(text)
    # The speed is the point: the generated records (templates' shape, no table) all take it.
    assert all(blocks.fast_parses_alike(text) for text in texts[3::4])


def test_examples_and_test_files_read_alike():
    texts = _texts([*REPO.glob("examples/**/*.md"), *REPO.glob("tests/**/*.md")])
    assert len(texts) >= 4
    for text in texts:
        assert_same_outline(text)


def test_the_real_corpus_reads_alike(shared_dir):
    """Post-mortems and PR templates written by others (`../shared/corpus`), not for this tool."""
    texts = _texts((shared_dir / "corpus").rglob("*.md"))
    assert len(texts) >= 30
    for text in texts:
        assert_same_outline(text)


KNOWN_UNALIKE = [
    ">a\n-",                       # lazy continuation after a quoted paragraph
    "> a\n0.",
    "|-\n--",                      # one-column table or setext heading
    "`\n-|",
    "[x]:\\",                      # a reference definition
    "- <?\n\n  x",                 # an HTML block closed only by its marker, in a list item
    "- <!--\n\n  x -->\n  y",
    "-\n\tx\n",                    # a tab-indented continuation line
    "a\r\nb\r\n- c\r",             # carriage returns
    "a\0b\n# h\0",
    "#+<![CDATA[\n\u00e9```---",   # made the Rust parser's inline stage panic
]
TOO_DEEP = ["- " * 10 + "x", "1. " * 12 + "x\n\n" + "  " * 30 + "y", "- " * 2000 + "x"]


@pytest.mark.parametrize("text", KNOWN_UNALIKE)
def test_known_disagreements_go_to_the_reference_parser(text):
    assert not blocks.fast_parses_alike(text)
    assert_same_outline(text)


@pytest.mark.parametrize("text", TOO_DEEP)
def test_lists_nested_past_the_references_limit_are_read_by_it(text):
    assert blocks.fast_blocks(text) == blocks.reference_blocks(text)
    assert_same_outline(text)


@pytest.mark.parametrize("text", ["- " * 8 + "x", "```\na\n  ", "- ```\n  a\n  ", "```md\n```\n\n", "~~~\n```\n\n", "```\n",
                                  "- a\n  b\n- c\n\n  d\n", "- # h\n  t\n", "- <!-- a -->\n\n  z", "Setext\n===\n\n- \n"])
def test_the_fast_parser_places_these_as_the_reference_does(text):
    assert blocks.fast_parses_alike(text)
    assert blocks.fast_blocks(text) == blocks.reference_blocks(text)


ATOMS = ["- ", "* ", "+ ", "1. ", "2) ", "10. ", "- [ ] ", "- [x] ", "> ", ">", "  ", "    ", "\t", " \t", "   ",
         "```", "~~~", "````", "```md", "```python", "~~~ text", "#", "## ", "###### ", "####### ", "===", "---",
         "***", "- - -", "| a | b |", "|---|---|", "| --- | :-: |", "a | b", "\\|", "<div>", "</div>", "<!--", "-->",
         "<pre>", "</pre>", "<script>", "<?php", "?>", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<a href='x'>",
         "[x]: /url", "Status: FIXING", "word", "\u00e9", "\U0001f6a8", "\u200b", "\u00a0", "\\", "`", "**b**",
         "&amp;", "\\#", "text  ", "1.", "-", "*", "    - b", "  1. c", "\r\n", "\r", "\0", ""]
LINE = st.one_of(st.lists(st.sampled_from(ATOMS), max_size=4).map("".join), st.text(max_size=12))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, min_size=1, max_size=30), end=st.sampled_from(["", "\n", "\n\n", "\n  "]))
def test_hostile_markdown_reads_alike(lines, end):
    assert_same_outline("\n".join(lines) + end)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.lists(st.sampled_from([a for a in ATOMS if not set(a) & set("|>]\t\r\0<")]), max_size=4)
                      .map("".join), min_size=1, max_size=30))
def test_hostile_markdown_the_fast_parser_takes_reads_alike(lines):
    """Without the constructs that send a document to the reference, so that the fast parser's
    own reading is what is compared."""
    text = "\n".join(lines)
    assert blocks.fast_parses_alike(text)
    assert _outline(text, blocks.fast_blocks) == _outline(text, blocks.reference_blocks), repr(text)


def test_the_extraction_cache_key_names_the_parsers(monkeypatch):
    described = blocks.parser_versions()
    assert "markdown_it: none" not in described and "markdown_it_pyrs: none" not in described
    assert "markdown_it_pyrs" in described and "__init__.py" in described
    cache_module.extractor_digest.cache_clear()
    with_fast = cache_module.extractor_digest()
    monkeypatch.setattr(cache_module, "parser_versions", lambda: "markdown_it: none")
    cache_module.extractor_digest.cache_clear()
    try:
        assert cache_module.extractor_digest() != with_fast
    finally:
        cache_module.extractor_digest.cache_clear()


def test_every_template_reads_alike_so_templates_take_the_fast_parser():
    """`blocks.template_blocks` reads the package's templates with the fast parser without the
    cheap look (some hold `]:` or a comment with a blank line): this holds that safe."""
    from hotfix_policy.engine.documents.templates import TEMPLATE_DIR

    texts = _texts(TEMPLATE_DIR.iterdir())
    assert len(texts) >= 9
    for text in texts:
        assert blocks.template_blocks(text) == blocks.reference_blocks(text), text[:60]


def test_extracting_a_generated_record_never_imports_the_reference_parser(tmp_path: Path):
    """markdown-it-py's import takes 35 ms, paid by every process that extracts: a record the
    fast parser takes, and the templates every extracting process reads, never need it."""
    import subprocess
    import sys

    record = tmp_path / "INC-1.md"
    record.write_text(_generated()[3], encoding="utf-8")
    probe = ("import sys; from hotfix_policy.engine.documents import read_document; "
             f"document = read_document({str(record)!r}); assert document.kind == 'incident', document.kind; "
             "print('markdown_it' in sys.modules)")
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "False"


def test_the_extraction_cache_key_names_google_re2(monkeypatch):
    """The secret scanner and the schemas' patterns run on it: another version may match otherwise."""
    cache_module.extractor_digest.cache_clear()
    installed = cache_module.extractor_digest()
    named = cache_module.package_files
    monkeypatch.setattr(cache_module, "package_files", lambda name: named(name) + (" upgraded" if name == "re2" else ""))
    cache_module.extractor_digest.cache_clear()
    try:
        assert cache_module.extractor_digest() != installed
    finally:
        cache_module.extractor_digest.cache_clear()
