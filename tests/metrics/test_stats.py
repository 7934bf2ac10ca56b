"""The median and the nearest-rank p90 as docs/metrics.md defines them."""

from __future__ import annotations

import pytest

from hotfix_policy.engine.metrics.stats import duration_text, median, percentile_nearest_rank, summary


def test_median():
    assert median([]) is None
    assert median([7]) == 7
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5


@pytest.mark.parametrize("count, rank", [(1, 1), (2, 2), (9, 9), (10, 9), (11, 10), (20, 18), (30, 27), (100, 90)])
def test_p90_is_the_value_at_rank_ceil_of_nine_tenths_n(count, rank):
    values = list(range(1, count + 1))[::-1]   # unsorted input
    assert percentile_nearest_rank(values, 90) == rank


def test_p90_edges():
    assert percentile_nearest_rank([], 90) is None
    with pytest.raises(ValueError):
        percentile_nearest_rank([1], 0)


def test_summary_keeps_whole_seconds_whole():
    assert summary([60, 120]) == {"count": 2, "median_seconds": 90, "p90_seconds": 120}
    assert summary([1, 2]) == {"count": 2, "median_seconds": 1.5, "p90_seconds": 2}


def test_duration_text():
    assert [duration_text(s) for s in (None, 0, 2700, 6720, 93600 + 300)] == ["-", "0m", "45m", "1h 52m", "1d 2h 5m"]
