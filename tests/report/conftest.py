"""Fixtures of the report tests."""

from __future__ import annotations

import pytest

from .consumers import JUNIT_XSD
from .helpers import sarif_validator


@pytest.fixture
def standards():
    """For tests about the standards themselves: skip when their files are not beside the repository."""
    if sarif_validator() is None or not JUNIT_XSD.is_file():
        pytest.skip("../shared/external (the SARIF schema, junit-10.xsd) is not beside the repository")
