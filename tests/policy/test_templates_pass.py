"""`policy new KIND` templates, their placeholders filled with plausible values (and the companion
documents and clock the time rules need), pass the built-in pack: no error and no warning."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from hotfix_policy.engine.documents import parse_document, template_for
from hotfix_policy.engine.policy.check import judge
from hotfix_policy.engine.policy.config import Config, default_data
from hotfix_policy.engine.policy.loader import load_policies
from hotfix_policy.engine.resources import resource_dir

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)

# Each placeholder in order of appearance per kind, replaced with what a careful author writes.
FILLS = {
    "incident": [
        ("[incident-number]", "2041"), ("[Brief description]", "Checkout card payments failing"),
        ("[CRITICAL/HIGH/MEDIUM]", "CRITICAL"),
        ("[One of the five emergency criteria, e.g. Production down]", "Critical business function broken for all users"),
        ("[Brief description]", "Every card payment fails with HTTP 500"), ("[Affected users/systems]", "All users"),
        ("[Initial estimate]", "2026-11-20T11:00Z"), ("@[name]", "@dana-k"),
        ("hotfix/[version]-[brief-description]", "hotfix/v3.14.1-card-payment-null-currency"),
        ("[TIMESTAMP]", "2026-11-20T09:10Z"),
        ("[TIMESTAMP]", "2026-11-20T09:35Z"), ("[INVESTIGATING/FIXING/TESTING/DEPLOYING/MONITORING]", "MONITORING"),
        ("[What's been done]", "v3.14.1 deployed; payments succeed"), ("[What's happening next]", "Monitor error rates"),
        ("[Updated estimate]", "2026-11-20T10:10Z"), ("[Any blockers or complications]", "None"),
        ("[TIMESTAMP]", "2026-11-20T10:05Z"), ("[Brief description]", "Card payments failed for legacy cards"),
        ("[Total incident time]", "55m"), ("[What fixed it]", "Hotfix v3.14.1 defaults the currency"),
        ("[Final impact assessment]", "All card payments failed for 55 minutes"), ("[date]", "2026-11-24"),
        ("[TIMESTAMP]", "2026-11-20T14:00Z"),
    ],
    "pull_request": [
        ("[incident-number]", "2041"), ("[CRITICAL/HIGH]", "CRITICAL"),
        ("[Why this couldn't wait]", "Every card payment fails"),
        ("[Detailed description of production issue]", "Card payments fail with HTTP 500 for stored cards."),
        ("[What the fix does and why it works]", "Default the currency when a stored card has none."),
        ("- [ ] Existing tests pass", "- [x] Existing tests pass"),
        ("- [ ] New test validates fix", "- [x] New test validates fix"),
        ("- [ ] Manual validation: [describe what was tested]",
         "- [x] Manual validation: paid with a legacy stored card on staging"),
        ("- [ ] Staging validation: [Y/N with justification]",
         "- [x] Staging validation: Y, paid with a legacy test card on staging"),
        ("- [ ] Smoke test of core functionality: [what was checked]",
         "- [x] Smoke test of core functionality: login, search and checkout on production"),
        ("[What normal processes were bypassed]", "The nightly regression suite"),
        ("[How to revert if fix fails]", "Revert the merge commit"),
        ("[How success will be verified]", "Checkout error rate for 30 minutes"),
        ("[none, or the checks skipped, comma-separated]", "none"),
    ],
    "post_incident_review": [
        ("[Incident Description]", "Checkout card payments failing (INC-2041)"), ("[incident-number]", "2041"),
        ("[When incident occurred]", "2026-11-20T09:05Z"), ("[Total incident duration]", "55m"),
        ("[Who/what was affected]", "All card payments"), ("[How it was resolved]", "Hotfix v3.14.1"),
        ("[Date]", "2026-11-24"),
        ("[Time]", "2026-11-20T09:05Z"), ("[Time]", "2026-11-20T09:10Z"), ("[Time]", "2026-11-20T09:30Z"),
        ("[Time]", "2026-11-20T09:35Z"), ("[Time]", "2026-11-20T10:05Z"),
        ("[Main reason incident occurred]", "Legacy stored cards have no currency"),
        ("[Secondary factors]", "Fixtures had no legacy cards"), ("[Why didn't existing measures prevent this]",
                                                                 "No test used a legacy card"),
        ("[Process successes]", "Declared within five minutes"), ("[Process gaps or delays]", "Slow staging deploy"),
        ("[What to implement right away]", "Legacy card fixtures"), ("[Larger changes needed]", "Contract tests"),
        ("[Better detection needed]", "Alert on currency-less payments"),
        ("[Action item 1]", "Add legacy card fixtures"), ("[Name]", "@lee"), ("[Date]", "2026-11-27"),
        ("[Action item 2]", "Contract tests for the serializer"), ("[Name]", "@sam-r"), ("[Date]", "2026-12-04"),
    ],
    "status_update": [
        ("[TIMESTAMP]", "2026-11-20T09:35Z"), ("[INVESTIGATING/FIXING/TESTING/DEPLOYING/MONITORING]", "FIXING"),
        ("[What's been done]", "Root cause found"), ("[What's happening next]", "Patch the serializer"),
        ("[Updated estimate]", "2026-11-20T10:30Z"), ("[Any blockers or complications]", "None"),
    ],
    "commit": [
        ("[scope]", "payments"), ("[brief description]", "default the currency of legacy stored cards"),
        ("[Detailed explanation of issue]", "Every card payment failed with HTTP 500"),
        ("[What caused the problem]", "Legacy stored cards have no currency"),
        ("[Who/what was affected]", "All users paying by card"), ("[What the fix does]", "Default the currency"),
        ("[Specific functionality restored]", "Card payments"),
        ("[Why this couldn't wait for regular process]", "No card payment succeeded"),
        ("[incident-tracking-number]", "2041"),
    ],
}


def fill(kind: str, upto: int | None = None) -> str:
    """The template with its placeholders filled; with `upto`, only the first `upto` of them
    (an incident record filled block by block as the incident goes on)."""
    text = template_for(kind)
    for placeholder, value in FILLS[kind][:upto]:
        assert placeholder in text, (kind, placeholder)
        text = text.replace(placeholder, value, 1)
    if upto is not None:
        return text
    visible = re.sub(r"<!--.*?-->", "", text, flags=re.S)  # the optional bypass section stays commented out
    assert not re.search(r"\[[A-Za-z][^\]\n]*\]", visible.replace("[x]", "").replace("[ ]", "")), visible
    return text


@pytest.fixture(scope="module")
def pack():
    data = default_data()
    data.update({"admins": ["ops-lead"], "senior_reviewers": ["lee"]})
    return load_policies([resource_dir("policies") / "hotfix"], data)


def test_filled_templates_pass_the_pack(pack):
    documents = [parse_document(fill("incident"), path="incidents/INC-2041.md"),
                 parse_document(fill("pull_request"), path="pr.md"),
                 parse_document(fill("post_incident_review"), path="reviews/PIR-2041.md"),
                 parse_document(fill("commit"), path="COMMIT_EDITMSG", kind="commit"),
                 parse_document(fill("status_update"), path="update.md")]
    assert [d.kind for d in documents] == ["incident", "pull_request", "post_incident_review", "commit",
                                           "status_update"]
    ctx = {"now": NOW, "branch": "hotfix/v3.14.1-card-payment-null-currency", "base": "main",
           "author": "dana-k", "labels": ["hotfix"], "changed_files": ["src/payments/card.py",
                                                                     "tests/test_card.py"],
           "approvals": [{"login": "lee", "at": datetime(2026, 11, 20, 9, 50, tzinfo=timezone.utc)}]}
    findings = judge(documents, ctx, NOW, Config(data=pack.data), pack)
    serious = [(f.path, f.rule, f.message) for f in findings if f.severity.value in ("error", "warning")]
    assert serious == []


# The incident record as the incident goes on: how many of FILLS["incident"] are filled by then,
# the clock at that moment, and the blocks still the template's (DOC004 says so, nothing else).
STAGES = {
    "just declared": (10, datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc),
                      ["INCIDENT UPDATE", "INCIDENT RESOLVED", "Closed"]),
    "in progress": (16, datetime(2026, 11, 20, 9, 50, tzinfo=timezone.utc), ["INCIDENT RESOLVED", "Closed"]),
    "resolved": (22, datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc), ["Closed"]),
    "closed": (None, NOW, []),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_incident_record_passes_at_each_stage(pack, stage):
    """`policy new incident` filled only as far as the incident has got passes the pack: the
    blocks for later are unfilled, not facts (the template's `Status: CLOSED` closes nothing)."""
    upto, now, unfilled = STAGES[stage]
    document = parse_document(fill("incident", upto), path="incidents/INC-2041.md")
    ctx = {"now": now, "branch": "main", "base": "main", "author": "dana-k", "labels": []}
    # once resolved, the team records its review (the pack reminds them until they do)
    review = [] if upto is not None and upto < 22 else [
        parse_document(fill("post_incident_review"), path="reviews/PIR-2041.md")]
    findings = judge([document] + review, ctx, now, Config(data=pack.data), pack)
    assert [(f.rule, f.message) for f in findings if f.severity.value in ("error", "warning")] == []
    assert [f.message for f in findings if f.rule == "DOC004"] == [
        f"the {name} block is still the template's text: the rules skip it until it is filled in "
        "(or delete it if it does not apply yet)" for name in unfilled]
    expected = {"just declared": "INVESTIGATING", "in progress": "MONITORING", "resolved": "RESOLVED",
                "closed": "CLOSED"}[stage]
    assert document.data["current_status"] == expected


# The other status messages and the tag message, their placeholders in order of appearance.
VARIANT_FILLS = {
    ("status_update", "declaration"): [
        ("[CRITICAL/HIGH/MEDIUM]", "CRITICAL"),
        ("[One of the five emergency criteria, e.g. Production down]", "Critical business function broken for all users"),
        ("[Brief description]", "Card payments fail"), ("[Affected users/systems]", "All users"),
        ("[Initial estimate]", "2026-11-20T11:00Z"), ("@[name]", "@dana-k"), ("[TIMESTAMP]", "2026-11-20T09:10Z")],
    ("status_update", "in_progress"): [
        ("[Brief description of problem]", "Card payments fail"), ("[Who/what is affected]", "All users"),
        ("[Production down/Security breach/Data loss/etc.]", "Production down"),
        ("[Realistic time estimate]", "2026-11-20T11:00Z"), ("@[incident-commander]", "@dana-k"),
        ("hotfix/[version]-[brief-description]", "hotfix/v3.14.1-card-payment"),
        ("[INVESTIGATING/FIXING/TESTING/DEPLOYING]", "FIXING")],
    ("status_update", "resolution"): [
        ("[TIMESTAMP]", "2026-11-20T10:40Z"), ("[Brief description]", "Card payments fail"),
        ("[Total incident time]", "1h30m"), ("[What fixed it]", "v3.14.1 defaults the currency"),
        ("[Final impact assessment]", "All card payments failed for 90 minutes"), ("[date]", "2026-11-23")],
    ("tag", None): [
        ("[MAJOR.MINOR.PATCH]", "3.14.1"), ("[Brief description]", "card payments"),
        ("[Issue description]", "card payments failing"), ("[What was restored]", "Card payments"),
        ("[output of `date`]", "Fri Nov 20 10:20:00 UTC 2026"), ("[incident-number]", "2041")],
}


@pytest.mark.parametrize("kind,variant", list(VARIANT_FILLS), ids=lambda part: str(part))
def test_other_filled_templates_pass_the_pack(pack, kind, variant):
    text = template_for(kind, variant)
    for placeholder, value in VARIANT_FILLS[(kind, variant)]:
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value, 1)
    assert not re.search(r"\[[A-Za-z][^\]\n]*\]", text), text
    document = parse_document(text, path="tag:v3.14.1" if kind == "tag" else f"{variant}.md",
                              kind="tag" if kind == "tag" else None)
    assert document.kind == kind
    ctx = {"now": NOW, "branch": "hotfix/v3.14.1-card-payment", "base": "main", "author": "dana-k",
           "labels": ["hotfix"]}
    findings = judge([document], ctx, NOW, Config(data=pack.data), pack)
    assert [(f.rule, f.message) for f in findings if f.severity.value in ("error", "warning")] == []


@pytest.mark.parametrize("kind, needed", [
    ("incident", {"PRODUCTION INCIDENT DECLARED": "INC001, INC002, INC011"}),
    ("post_incident_review", {"Incident Summary": "PIR002", "Timeline": "PIR003", "Root Cause Analysis": "PIR004",
                              "Response Evaluation": "PIR006"}),
])
def test_an_untouched_template_gets_one_error_per_needed_block_and_nothing_else(pack, kind, needed):
    """A block still the template's text is one finding: DOC002 at the block, an error, when a rule
    needs it (naming the rules), DOC004, an info, when none does yet; no rule repeats it about its
    fields."""
    document = parse_document(template_for(kind), path=f"{kind}.md")
    ctx = {"now": NOW, "branch": "main", "base": "main", "author": "dana-k", "labels": []}
    findings = judge([document], ctx, NOW, Config(data=pack.data), pack)
    serious = [f for f in findings if f.severity.value in ("error", "warning")]
    assert {f.rule for f in serious} == {"DOC002"}, [(f.rule, f.message) for f in serious]
    blocks = [f for f in findings if "block is still" in f.message]
    errors = {f.message.split(" block")[0][4:]: f.message.split("(")[-1] for f in blocks if f.rule == "DOC002"}
    assert errors == {name: f"{rules} need{'s' if ',' not in rules else ''} it)" for name, rules in needed.items()}
    assert {f.rule for f in blocks if f.rule != "DOC002"} <= {"DOC004"}
    spans = [f.span for f in blocks]
    assert len(spans) == len(set(spans)) == len(document.unfilled)
