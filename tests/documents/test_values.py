"""Value parsers: every accepted spelling of times, durations, people, references."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from hotfix_policy.engine.documents.values import (PLACEHOLDER, format_duration, is_none_word, parse_duration,
                                     parse_handle, parse_incident_ref, parse_semver, parse_timestamp, zone)

UTC = timezone.utc


@pytest.mark.parametrize("text, expected", [
    ("2026-11-20T10:30Z", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("2026-11-20T10:30:15Z", datetime(2026, 11, 20, 10, 30, 15, tzinfo=UTC)),
    ("2026-11-20T10:30:15.25Z", datetime(2026, 11, 20, 10, 30, 15, 250000, tzinfo=UTC)),
    ("2026-11-20T11:30+01:00", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("2026-11-20T11:30+0100", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("2026-11-20 10:30 UTC", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("2026-11-20T10:30 UTC", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("Thu Nov 20 10:30:00 UTC 2026", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("Nov 20 10:30:00 2026", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
    ("2026-11-24", datetime(2026, 11, 24, tzinfo=UTC)),
])
def test_timestamps(text, expected):
    assert parse_timestamp(text) == expected


def test_bare_time_takes_the_reference_date_and_zone():
    berlin = zone("Europe/Berlin")
    value = parse_timestamp("10:45", tz=berlin, reference=date(2026, 11, 20))
    assert value == datetime(2026, 11, 20, 9, 45, tzinfo=UTC)
    assert parse_timestamp("10:45 UTC", tz=berlin, reference=date(2026, 11, 20)) == datetime(2026, 11, 20, 10, 45, tzinfo=UTC)
    assert parse_timestamp("10:45") is None  # no date known


@pytest.mark.parametrize("text", ["soon", "", "2026-13-40", "25:99", "[TIMESTAMP]", "tomorrow 10:00",
                                  "9999-12-31T23:59-05:00", "0001-01-01T00:30+01:00", "Fri Dec 31 23:00:00 -0500 9999"])
def test_not_timestamps(text):
    """Nor an instant Python cannot hold in UTC (year 10000 there): every output of it would overflow."""
    assert parse_timestamp(text, reference=date(2026, 1, 1)) is None


def test_the_last_and_first_instants_are_times():
    assert parse_timestamp("9999-12-31T23:59Z") == datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc)
    assert parse_timestamp("0001-01-01T00:30-01:00") is not None


@pytest.mark.parametrize("text, minutes", [
    ("1h 52m", 112), ("1h52m", 112), ("45 minutes", 45), ("2 hours", 120), ("1 hour and 5 minutes", 65),
    ("1:52", 112), ("90m", 90), ("1 day", 1440), ("30 mins", 30), ("1.5h", 90),
])
def test_durations(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["soon", "1h and a bit", "", "[Total incident time]"])
def test_not_durations(text):
    assert parse_duration(text) is None


def test_format_duration():
    assert format_duration(timedelta(minutes=112)) == "1h52m0s"
    assert format_duration(timedelta(seconds=-30)) == "-30s"


@pytest.mark.parametrize("text, name", [
    ("@dana-k", "dana-k"), ("Dana (@Dana-K)", "Dana-K"), ("Dana K", "Dana K"), ("@dana.k", "dana.k"),
])
def test_handles(text, name):
    assert parse_handle(text) == {"text": text, "name": name, "login": name.lower()}


@pytest.mark.parametrize("text, number", [
    ("#2041", 2041), ("INC-2041", 2041), ("inc-2041", 2041), ("[INC-2041](https://x.example/i/2041)", 2041),
    ("https://tracker.example/incidents/2041", 2041), ("https://tracker.example/incidents/2041/", 2041),
])
def test_incident_references(text, number):
    assert parse_incident_ref(text) == {"text": text, "number": number}


def test_reference_without_a_number():
    assert parse_incident_ref("the outage") == {"text": "the outage"}


def test_semver():
    assert parse_semver("v1.2.10") == {"text": "v1.2.10", "major": 1, "minor": 2, "patch": 10}
    assert parse_semver("release") is None


@pytest.mark.parametrize("text, expected", [
    ("[Brief description]", True), ("@[name]", True), ("#[incident-number]", True),
    ("hotfix/[version]-[brief-description]", True), ("[x] done", False), ("[link](http://x)", False),
    ("plain text", False), ("see [^1]", False),
])
def test_placeholders(text, expected):
    assert (PLACEHOLDER.search(text) is not None) is expected


def test_none_words():
    assert is_none_word("none") and is_none_word("N/A") and is_none_word("None.")
    assert not is_none_word("review")


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
       st.none() | st.integers(0, 61))
def test_the_templates_utc_spelling_reads_as_its_offset_spelling_does(year, month, day, hour, minute, second):
    """`2026-11-20T10:30Z` is read by a shortcut of its own (values._ISO_UTC): it gives what the
    same time written with `+00:00` gives, which the general reading reads, no day and no hour
    that is not one included (None for both)."""
    clock = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}" + ("" if second is None else f":{second:02d}")
    shortcut, general = parse_timestamp(clock + "Z"), parse_timestamp(clock + "+00:00")
    assert shortcut == general
    assert shortcut is None or (shortcut.tzinfo is UTC and shortcut.fold == 0)
