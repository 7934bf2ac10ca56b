"""The moving clock (`engine/cel/clock.py`): an expression reading `ctx.now` gives exactly what
the plain time gives, and gives the same at every later time before the Watch's `until`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.cel import CelError, compile
from hotfix_policy.engine.cel.clock import watching

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)

SHAPES = [
    "ctx.now - t <= d",
    "ctx.now - t < d",
    "ctx.now - t >= d",
    "t - ctx.now > d",
    "ctx.now <= t",
    "ctx.now > t",
    "ctx.now == t",
    "ctx.now != t",
    "t == ctx.now",
    "ctx.now - d < t",
    "ctx.now + d >= t",
    "d + ctx.now >= t",
    "t + (ctx.now - t) > t",
    "t - (ctx.now - t) > t",
    "-(ctx.now - t) < d",
    "d - (ctx.now - t) > duration('0s')",
    "(ctx.now - t) + d > duration('100h')",
    "(ctx.now - t) - (ctx.now - u) == t - u",
    "(ctx.now - t) + (t - ctx.now) == duration('0s')",
    "[t, u].all(x, ctx.now - x <= d)",
    "[t, u].exists(x, x > ctx.now)",
    "[t, u, ctx.now].sortBy(x, x)[0] == ctx.now",
    "ctx.now in [t, u]",
    "{'to': ctx.now}.to > t",
    "(ctx.now - t).getHours() > 5",
    "(ctx.now - t).getMinutes()",
    "ctx.now.getHours()",
    "ctx.now.formatTime('%Y-%m-%d %H:%M')",
    "string(ctx.now)",
    "string(ctx.now - t)",
    "'%s %s'.format([ctx.now, ctx.now - t])",
    "timestamp(ctx.now) < t ? 'before' : 'after'",
    "dyn(ctx.now) - dyn(t) > dyn(d)",
    "dyn(ctx.now) < dyn(t)",
    "dyn(ctx.now) == dyn(t)",
    "type(ctx.now) == google.protobuf.Timestamp",
    "int(ctx.now) > int(t)",
    "duration(string(ctx.now - t)) < d",
]

offsets = st.integers(min_value=-3 * 86_400, max_value=3 * 86_400).map(lambda s: timedelta(seconds=s))


def evaluate(program, now, bindings):
    try:
        return program.evaluate({"ctx": {"now": now}, **bindings})
    except CelError as error:
        return ("error", error.message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(SHAPES), t=offsets, u=offsets, d=offsets.map(abs),
       later=st.floats(min_value=0, max_value=1))
def test_moving_time_answers_as_the_plain_time_and_holds_until_its_horizon(shape, t, u, d, later):
    program = compile(shape)
    bindings = {"t": NOW + t, "u": NOW + u, "d": d}
    for _ in range(2):  # the second evaluation takes the generated fast path
        with watching(NOW) as watch:
            moving = evaluate(program, watch.clock, bindings)
        assert moving == evaluate(program, NOW, bindings)
    horizon = watch.until if watch.until is not None else NOW + timedelta(days=3650)
    assert horizon >= NOW
    if horizon > NOW:
        moment = NOW + (horizon - NOW) * later
        if moment < horizon:
            assert evaluate(program, moment, bindings) == moving, (shape, moment, horizon)


@pytest.mark.parametrize("expression, until", [
    ("ctx.now - t <= duration('72h')", NOW + timedelta(hours=62)),   # resolved 10 hours ago: 62 to go
    ("ctx.now - u <= duration('72h')", None),                          # 100 hours ago: passed for ever
    ("ctx.now <= t + duration('168h')", NOW + timedelta(days=7, hours=-10)),
    ("ctx.now > u", None),
    ("(ctx.now - t).getHours()", NOW),                                 # spelled out: changes at once
    ("ctx.now.formatTime('%H:%M')", NOW),
    ("t < u", None),                                                   # never reads the clock
])
def test_until(expression, until):
    bindings = {"t": NOW - timedelta(hours=10), "u": NOW - timedelta(hours=100)}
    program = compile(expression)
    with watching(NOW) as watch:
        program.evaluate({"ctx": {"now": watch.clock}, **bindings})
    if until is None:  # no change ahead but the range checks' (a duration's bound, centuries away)
        assert watch.until is None or watch.until > NOW + timedelta(days=100 * 365)
    else:
        assert watch.until == until


def test_a_remembered_grouping_notes_what_it_read_of_the_clock_at_every_use():
    """A run computes a `groupBy` over `docs` and `ctx` once; a document that only reuses it
    depends on the clock as much as the one that computed it, or its verdict would hold for ever
    (policy/verdicts.py)."""
    from hotfix_policy.engine.cel import MEMO_KEY, RunMemo

    program = compile("size(docs.filter(d, ctx.now - d.at < duration('24h')).groupBy(d, d.id)) > 0")
    docs = [{"id": "a", "at": NOW - timedelta(hours=20)}]
    memo = RunMemo({"docs", "ctx"})
    with watching(NOW) as run:  # a run's ctx, one for all its documents
        ctx = {"now": run.clock}
        for _ in range(3):  # computed, reused, reused by the generated code: one document each
            with watching(NOW) as document:
                assert program.evaluate({"docs": docs, "ctx": ctx, MEMO_KEY: memo}) is True
            assert document.until == NOW + timedelta(hours=4)
    assert len(memo.values) == 1
