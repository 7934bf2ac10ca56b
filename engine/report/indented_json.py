"""`json.dumps(data, indent=2, ensure_ascii=False)`, byte for byte, written by orjson.

With `indent`, Python's json module falls back to its pure-Python encoder, and even laid out
by hand around its C encoder the JSON report of 5,000 findings took 40 ms; orjson writes the
same text in 3 ms (benchmarks/README.md). The reports hold no floats, whose spelling orjson's and
json's differ in (`1e+16`): only dicts with string keys, lists, tuples, strings, integers,
booleans and None. What orjson refuses (a lone surrogate from an undecodable file name, an
integer past 64 bits) is written by json itself, the same text.
"""

from __future__ import annotations

import json

import orjson


def dumps(data) -> str:
    """data (see the module) as `json.dumps(data, indent=2, ensure_ascii=False)` writes it."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(data, indent=2, ensure_ascii=False)
