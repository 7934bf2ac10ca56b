"""The CEL grammar's LALR parser, from parse tables generated ahead of time (grammar_tables.py).

Building the tables from grammar.lark takes 0.3 to 0.5 s, which every `policy` run would pay;
loading the shipped ones takes under 10 ms. Lark's own remedy, `Lark(cache=...)`, keeps them in
the user's cache folder as a pickle that it unpickles before it compares the hash in front of
it: a file planted there ran code on the next run. Here the tables are plain Python data in a
module of the package, trusted exactly as much as the code beside it, and Lark's deserializer
turns them back into its own rule and terminal classes only. Nothing is read from a cache folder.

The module is stamped with the digest of the grammar and the options, and with the Lark version
that made it. When either differs (the grammar was edited, another Lark is installed), the parser
is built from the grammar in memory instead: the same parser, only slower to start. After editing
grammar.lark, regenerate the tables (tests/cel/test_tables.py fails until then):

    python -m hotfix_policy.engine.cel.tables_build
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import lark
from lark import Lark, Transformer

from . import grammar_tables

GRAMMAR = Path(__file__).with_name("grammar.lark")
_OPTIONS = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}


def source_digest() -> str:
    """What the tables are made from: the grammar's bytes and the options given to Lark."""
    digest = hashlib.sha256(GRAMMAR.read_bytes())
    digest.update(repr(sorted(_OPTIONS.items())).encode("utf-8"))
    return digest.hexdigest()


def shipped_tables_apply() -> bool:
    """Whether grammar_tables.py was made from this grammar by this Lark version."""
    return grammar_tables.LARK_VERSION == lark.__version__ and grammar_tables.SOURCE_DIGEST == source_digest()


def build_parser(transformer: Transformer) -> Lark:
    """The parser, calling `transformer` as it reduces: from the shipped tables when they apply."""
    if shipped_tables_apply():
        return Lark._load_from_dict(grammar_tables.DATA, grammar_tables.MEMO, transformer=transformer)
    return grammar_parser(transformer)


def grammar_parser(transformer: Transformer | None = None) -> Lark:
    """The parser built from grammar.lark itself (what the tables are generated from)."""
    return Lark(GRAMMAR.read_text(encoding="utf-8"), transformer=transformer, **_OPTIONS)
