"""The JSON and SARIF reports' layout is json.dumps(indent=2)'s, byte for byte (written by orjson)."""

from __future__ import annotations

import json
from collections import OrderedDict

from hypothesis import given
from hypothesis import strategies as st

from hotfix_policy.engine.report import indented_json

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(),  # no floats: a report holds none
                    st.text(st.sampled_from(list('ab"\\\n\t\r\b\f\x00\x1f\x7f{}[],: \u202e\u2028\ud800\udfff事🔄'))))
KEYS = st.text(st.sampled_from(list('k"}{\n, :')), max_size=4)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)
RECORD = st.dictionaries(KEYS, SCALARS, min_size=1, max_size=5)


def _as_json_dumps_writes(data) -> None:
    assert indented_json.dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


@given(JSON)
def test_any_json_data_is_laid_out_as_json_dumps_lays_it_out(data):
    _as_json_dumps_writes(data)


@given(st.lists(RECORD, max_size=5), st.integers(0, 3))
def test_a_list_of_records_at_any_depth(records, depth):
    data = records
    for _ in range(depth):
        data = {"findings": data, "more": [data]}
    _as_json_dumps_writes(data)


def test_the_edges():
    for data in ([], {}, [[]], [{}], {"a": {}}, [{"a": 1}, {}], [{"a": "},\n      {"}, {"b": []}],
                 (1, (2, 3)), {"t": (1, {"x": 2})}, OrderedDict(b=1, a=[1]), [2**64, -2**63 - 1],
                 {"\ud800": "\udcff"}, "\x00\x1f\x7f\u2028"):
        _as_json_dumps_writes(data)
