"""Attacks live here: each test feeds the product an input an attacker would write (generated
in the test, never committed as megabytes) and asserts that it is bounded, masked, located or
refused, never a traceback, a hang or a fail-open. Every test in this folder carries the
`hostile` marker: `python -m pytest -m hostile` runs the attacks alone."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hostile)
