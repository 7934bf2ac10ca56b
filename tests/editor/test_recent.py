"""Recent readings of a text: computed once however many callers ask at once, bounded by count
and by characters, never keeping a failure."""

from __future__ import annotations

import sys
import threading

import pytest

from hotfix_policy.engine.editor import layout as layouts
from hotfix_policy.engine.editor.recent import RecentResults
from tests.lsp.helpers import INCIDENT

WAIT = 30.0


def _waiting(thread: threading.Thread) -> bool:
    """Whether the thread is blocked in an Event's wait (its frames, not a clock)."""
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        if frame.f_code.co_name == "wait" and "threading" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def test_a_caller_that_finds_the_reading_under_way_waits_for_it():
    """While the first caller computes, a second one asks: it waits and gets the same result."""
    recent = RecentResults(count=4, chars=1_000)
    calls, answers = [], []
    second = threading.Thread(target=lambda: answers.append(recent.get("text", 4, lambda: calls.append(2) or "2")))

    def first() -> str:
        calls.append(1)
        second.start()
        for _ in range(int(WAIT * 1000)):  # until the second caller waits, or computes (the bug)
            if _waiting(second) or len(calls) > 1:
                break
            threading.Event().wait(0.001)
        return "1"

    assert recent.get("text", 4, first) == "1"
    second.join(WAIT)
    assert calls == [1] and answers == ["1"]


def test_results_are_bounded_by_count_and_by_characters_the_newest_always_kept():
    recent = RecentResults(count=2, chars=10)
    computed = []

    def read(key, size):
        return recent.get(key, size, lambda: computed.append(key) or key.upper())

    assert [read("a", 3), read("b", 3), read("c", 3)] == ["A", "B", "C"]   # count: "a" is dropped
    read("b", 3)
    read("a", 3)
    assert computed == ["a", "b", "c", "a"]
    read("huge", 50)                                                       # over the characters alone
    read("huge", 50)
    read("c", 3)
    assert computed == ["a", "b", "c", "a", "huge", "c"]


def test_a_failed_reading_is_not_kept():
    recent = RecentResults(count=2, chars=10)
    with pytest.raises(ZeroDivisionError):
        recent.get("x", 1, lambda: 1 / 0)
    assert recent.get("x", 1, lambda: "read") == "read"


def test_the_editor_reads_one_text_once_for_every_service(monkeypatch):
    """Hover, completion, the outline and code actions (asked at every move of the cursor) on
    one version of a document: one Markdown reading of it."""
    from hotfix_policy.engine.documents import parse_document
    from hotfix_policy.engine.editor import complete_markdown, hover_markdown, markdown_actions, markdown_symbols

    readings = []
    real = layouts.outline
    monkeypatch.setattr(layouts, "outline", lambda *a, **k: readings.append(1) or real(*a, **k))
    text = INCIDENT + "\nNotes: one more line to make this text new\n"
    document = parse_document(text)
    hover_markdown(text, 4, 2, document=document)
    complete_markdown(text, 5, 1)
    markdown_symbols(text)
    markdown_actions(text, (4, 1), (4, 5), document=document)
    markdown_actions(text, (5, 1), (5, 5), document=document)
    assert len(readings) == 1
