"""The block structure of a Markdown text as a flat list of located blocks, from one of two parsers.

The outline (`markdown.py`) needs only where the blocks are: paragraphs, headings, list items,
fences and table rows, with their source lines. markdown-it-py is the reference parser and
always installed. markdown-it-pyrs (the Rust markdown-it, same maintainer, the `fast` extra)
parses the same CommonMark + tables about five times faster; when it is installed its tree is
read into the same blocks, and `tests/documents/test_block_parsers.py` holds the two to
identical outlines on generated, golden and hostile documents. A text the fast parser would
locate differently (a carriage return or a NUL, which markdown-it-py normalises before parsing
and the Rust parser does not, so their offsets disagree) is parsed by the reference.

A block is a tuple `(kind, first, last, detail)`, lines 0-based over the parsed text:
  PARAGRAPH first..last-1 (detail 0); HEADING first (detail: level);
  ITEM first (detail: whether the item's first block is a paragraph);
  LIST_OPEN / LIST_CLOSE (a list's items are between them); FENCE first..last-1 (detail: the
  lowercased first word of the info string); ROW first (detail: a header row).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from ..files import package_files
from ..span import line_starts

_UNALIKE = ("\r", "\0", "\t", "|", "]:")
_QUOTE_LINE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*>", re.MULTILINE)
_RAW_HTML = re.compile(r"<(?:\?|!\[|![a-z]|script|pre|style|textarea)", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

PARAGRAPH, HEADING, ITEM, LIST_OPEN, LIST_CLOSE, FENCE, ROW = range(7)
PARSER_PACKAGES = ("markdown_it", "markdown_it_pyrs")
"""The two parsers' importable packages, reference first (the caches' keys fingerprint their files)."""


def blocks(body: str) -> list:
    """The blocks of `body`, from the fast parser when it is installed and can locate them."""
    fast = _fast_parser()
    if fast is None or not fast_parses_alike(body):
        return reference_blocks(body)
    return fast_blocks(body, fast)


def template_blocks(body: str) -> list:
    """The blocks of one of the package's templates: the fast parser's when it is installed (the
    tests hold the two parsers' blocks identical on every template), so that reading the
    templates, which every extracting process does once, never imports markdown-it-py (35 ms)."""
    fast = _fast_parser()
    return reference_blocks(body) if fast is None else fast_blocks(body, fast)


def fast_parses_alike(body: str) -> bool:
    """Whether `body` has none of the constructs where the two parsers are known to disagree
    (each found by the differential test), judged by a cheap look at the text: a carriage
    return or a NUL (normalised by the reference only); a tab (the Rust parser's source map
    drifts past tab-indented continuation lines); a pipe (the two table rules differ on
    one-column and borderline delimiter rows); `]:` (link reference definitions with odd
    destinations); a line opening a block quote (lazy continuation lines after a quoted
    paragraph); an HTML block that only its end marker closes (`<?`, `<!X`, `<![CDATA[`,
    `<script>`, `<pre>`, `<style>`, `<textarea>`, or a comment with a blank line inside: in a
    list item the Rust parser ends them at the blank line)."""
    for marker in _UNALIKE:
        if marker in body:
            return False
    if ">" in body and _QUOTE_LINE.search(body):  # the patterns try every line start: most records
        return False                              # hold neither a `>` nor a `<`, one of which each needs
    if "<" not in body:
        return True
    if _RAW_HTML.search(body):
        return False
    opening = body.find("<!--")
    while opening != -1:
        closing = body.find("-->", opening + 4)
        if _BLANK_LINE.search(body, opening, len(body) if closing == -1 else closing):
            return False
        opening = -1 if closing == -1 else body.find("<!--", closing + 3)
    return True


def parser_versions() -> str:
    """Which Markdown parsers extraction may use, as the files of their packages (name, size,
    time): part of the caches' keys. Read without importing them, which a run that extracts
    nothing never does (markdown-it-py's import is 35 ms)."""
    return "\n".join(package_files(name) for name in PARSER_PACKAGES)


@cache
def reference_parser():
    """The process's one markdown-it-py parser: CommonMark + tables, block level only (extraction
    reads the raw source lines, so inline parsing would be wasted)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.core.ruler.disable(["inline", "text_join"])
    return md


def reference_blocks(body: str) -> list:
    """The blocks of `body` as markdown-it-py's token stream places them."""
    out: list = []
    add = out.append
    tokens = reference_parser().parse(body)
    in_head = False
    for position, token in enumerate(tokens):
        kind = token.type
        if kind == "paragraph_open":
            add((PARAGRAPH, token.map[0], token.map[1], 0))
        elif kind == "heading_open":
            add((HEADING, token.map[0], 0, int(token.tag[1])))
        elif kind == "list_item_open":
            add((ITEM, token.map[0], 0, tokens[position + 1].type == "paragraph_open"))
        elif kind == "bullet_list_open" or kind == "ordered_list_open":
            add((LIST_OPEN, 0, 0, 0))
        elif kind == "bullet_list_close" or kind == "ordered_list_close":
            add((LIST_CLOSE, 0, 0, 0))
        elif kind == "fence":
            add((FENCE, token.map[0], token.map[1], _info_word(token.info)))
        elif kind == "thead_open" or kind == "thead_close":
            in_head = kind == "thead_open"
        elif kind == "tr_open":
            add((ROW, token.map[0], 0, in_head))
    return out


@cache
def _fast_parser():
    try:
        from markdown_it_pyrs import MarkdownIt
    except ImportError:
        return None
    parser = MarkdownIt("zero")
    for rule in _BLOCK_RULES:
        parser.enable(rule)
    return parser


_BLOCK_RULES = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
                "html_block", "table")
"""CommonMark's block rules and tables; no inline rule, as in the reference parser (whose inline
stage is off): the outline reads raw source lines, and inline rules are where the Rust parser
has panicked on hostile text."""
_MAX_LIST_DEPTH = 8
"""markdown-it-py stops nesting at 20 levels (a list and its item are two): the ninth list level
is the last both parsers read alike, so deeper lists go to the reference."""
_CONTAINERS = frozenset({"blockquote", "table", "tbody"})
_LISTS = frozenset({"bullet_list", "ordered_list"})
_BLOCKS = frozenset({"paragraph", "heading", "lheading", "bullet_list", "ordered_list", "list_item", "fence",
                     "code_block", "html_block", "hr", "blockquote", "table", "thead", "tbody", "trow",
                     "definition"})


def fast_blocks(body: str, parser=None) -> list:
    """The blocks of `body` from markdown-it-pyrs's tree. Its source map is in UTF-8 bytes, so
    lines are found in a table of the encoded text's line starts. Paragraphs of a tight list
    are not nodes there (their inline nodes are the item's children): a run of inline children
    is one paragraph, from its first node's line to its last's."""
    parser = parser or _fast_parser()
    tail = body.rfind("\n") + 1
    if tail < len(body) and not body[tail:].strip(" "):  # a last line of spaces: no line to the reference
        body = body[:tail]
    starts = line_starts(body.encode("utf-8"))
    try:
        tree = parser.tree(body)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a Rust panic (pyo3's PanicException is no Exception): the reference decides
        return reference_blocks(body)
    out: list = []
    try:
        _read(tree.children, starts, out, False, 0)
    except _TooDeep:
        return reference_blocks(body)
    return out


class _TooDeep(Exception):
    """Lists nested past what the reference parses as lists (its nesting limit)."""


def _read(nodes, starts, out: list, in_head: bool, depth: int) -> None:
    add = out.append
    run_first = run_last = -1
    for node in nodes:
        name = node.name
        if name not in _BLOCKS:  # an inline node: part of a tight item's paragraph
            start, end = node.srcmap
            if run_first < 0:
                run_first = bisect_right(starts, start) - 1
            run_last = bisect_right(starts, max(start, end - 1))
            continue
        if run_first >= 0:
            add((PARAGRAPH, run_first, run_last, 0))
            run_first = -1
        start, end = node.srcmap
        first = bisect_right(starts, start) - 1
        if name == "paragraph":
            add((PARAGRAPH, first, bisect_right(starts, end - 1), 0))
        elif name == "heading" or name == "lheading":
            add((HEADING, first, 0, node.meta["level"]))
        elif name in _LISTS:
            if depth == _MAX_LIST_DEPTH:
                raise _TooDeep
            add((LIST_OPEN, 0, 0, 0))
            for item in node.children:
                children = item.children
                item_first = bisect_right(starts, item.srcmap[0]) - 1
                add((ITEM, item_first, 0, bool(children) and _opens_paragraph(children[0])))
                _read(children, starts, out, False, depth + 1)
            add((LIST_CLOSE, 0, 0, 0))
        elif name == "fence":
            meta = node.meta
            after_content = first + 1 + meta.get("content", "").count("\n")
            closed = bisect_right(starts, end - 1) - 1 == after_content
            add((FENCE, first, after_content + closed, _info_word(meta.get("info", ""))))
        elif name == "trow":
            add((ROW, first, 0, in_head))
        elif name == "thead":
            _read(node.children, starts, out, True, depth)
        elif name in _CONTAINERS:
            _read(node.children, starts, out, False, depth)
    if run_first >= 0:
        add((PARAGRAPH, run_first, run_last, 0))


def _opens_paragraph(node) -> bool:
    return node.name == "paragraph" or node.name not in _BLOCKS


def _info_word(info: str) -> str:
    info = info.strip()
    return info.split(maxsplit=1)[0].lower() if info else ""
