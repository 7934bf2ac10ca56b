"""The metrics tests' shared fixture: a folder of incident records, reviews and PR bodies."""

from __future__ import annotations

import pytest

from .fixtures import incident, pull_request, review, write

NOW = "2026-11-05T15:00:00Z"


@pytest.fixture
def records(tmp_path):
    """Incident records only (no git): hotfixes are the records with a Branch.

    INC-101 hotfix/v2.0.1  Sep 3   review timeline 09:50 detected -> 11:10 deployed = 80 min;
                                   resolution Duration 2h; PR complete, review: complete trail
    INC-102 hotfix/v2.0.2  Sep 20  review timeline lacks "deployed": Declared 08:00 -> first
                                   MONITORING 13:00 = 5 h (long); impact from the review, 5h 30m;
                                   PR with "New test validates fix" unchecked
    INC-103 hotfix/v2.0.3  Nov 2   names v2.0.1 in its Issue: a quality escape (WS002);
                                   Declared 12:00 -> MONITORING 12:45 = 45 min; Duration 1h;
                                   no PR, no review
    INC-104 (no branch)    Nov 5   open since 09:00: 6 h so far at NOW (long, open)
    INC-105 (no branch)    Nov 1   resolved, no MONITORING update and no review: time unknown;
                                   Duration 45m
    """
    return write(tmp_path, {
        ".policy.yaml": "packs: [builtin:hotfix]\n",
        "incidents/INC-101.md": incident(101, "2026-09-03T10:00Z", branch="hotfix/v2.0.1-cart",
                                         updates=(("2026-09-03T10:20Z", "FIXING"), ("2026-09-03T11:30Z", "MONITORING")),
                                         duration="2h", resolved="2026-09-03T12:00Z"),
        "incidents/INC-102.md": incident(102, "2026-09-20T08:00Z", branch="hotfix/v2.0.2-login",
                                         updates=(("2026-09-20T08:30Z", "FIXING"), ("2026-09-20T13:00Z", "MONITORING"),
                                                  ("2026-09-20T13:30Z", "MONITORING")),
                                         resolved="2026-09-20T14:00Z"),
        "incidents/INC-103.md": incident(103, "2026-11-02T12:00Z", branch="hotfix/v2.0.3-cart-total",
                                         issue="Cart totals wrong since hotfix v2.0.1 changed rounding",
                                         updates=(("2026-11-02T12:45Z", "MONITORING"),),
                                         duration="1h", resolved="2026-11-02T13:00Z"),
        "incidents/INC-104.md": incident(104, "2026-11-05T09:00Z", updates=(("2026-11-05T09:20Z", "FIXING"),)),
        "incidents/INC-105.md": incident(105, "2026-11-01T09:00Z", duration="45m", resolved="2026-11-01T09:45Z"),
        "reviews/PIR-101.md": review(101, (("2026-09-03T09:50Z", "Issue first detected by an alert"),
                                           ("2026-09-03T10:00Z", "Incident declared"),
                                           ("2026-09-03T11:10Z", "Fix deployed to production"))),
        "reviews/PIR-102.md": review(102, (("2026-09-20T07:55Z", "Issue detected by support"),
                                           ("2026-09-20T08:00Z", "Incident declared")), duration="5h 30m"),
        "prs/pr-101.md": pull_request(101),
        "prs/pr-102.md": pull_request(102, new_test=False),
    })
