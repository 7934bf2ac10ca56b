"""Extraction speed against markdown-it-py's own parse of the same text, in the same run.

    python benchmarks/extract.py [--rounds N]

For a 150-line incident record and a hotfix PR description, times (best of N rounds, each
the mean of a batch) three things: markdown-it-py's bare parse (`MarkdownIt("commonmark")
.parse(text)`, the parse a user would call), our parse alone (block level only: extraction
reads raw lines), and the whole extraction (`parse_document`: decoding, secrets scan, parse,
kind detection, scopes, schema-driven extraction, validation when needed). The target is
extraction <= 1.5x the bare parse. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time

from markdown_it import MarkdownIt

from hotfix_policy.engine.documents import parse_document
from hotfix_policy.engine.documents.markdown import parser


def incident_record(lines: int = 150) -> str:
    head = """---
kind: incident
---
# INC-2041: Checkout card payments failing

🚨 PRODUCTION INCIDENT DECLARED
Severity: CRITICAL
Criterion: Critical business function broken for all users
Issue: Every card payment fails with HTTP 500
Impact: All users in all regions
Status: INVESTIGATING
ETA: 2026-11-20T11:00Z
Commander: @dana-k
Branch: hotfix/v3.14.1-card-payment-null-currency
Declared: 2026-11-20T09:10Z
Updates: Every 30 minutes or on status change

## Updates
"""
    tail = """
## Resolution

✅ INCIDENT RESOLVED - 2026-11-20T16:02Z
Issue: Card payments failed for legacy stored cards
Duration: 6h 52m
Resolution: Hotfix v3.14.1 defaults the currency
Impact: All card payments failed for 6h 52m
Follow-up: Post-incident review scheduled for 2026-11-24

## Closed

Status: CLOSED
Closed: 2026-11-20T18:40Z
"""
    statuses = ["FIXING", "TESTING", "DEPLOYING", "MONITORING"]
    blocks = []
    minute = 9 * 60 + 35
    count = 0
    while len((head + "".join(blocks) + tail).splitlines()) < lines:
        hour, rest = divmod(minute, 60)
        blocks.append(f"""
### 🔄 INCIDENT UPDATE - 2026-11-20T{hour:02d}:{rest:02d}Z
Status: {statuses[min(count // 3, 3)]}
Progress: Step {count}: traced the failing requests to the serializer and checked the **payment** logs
Next: Patch the serializer, add a regression test and re-run the checkout suite
ETA: 2026-11-20T16:00Z
Issues: None
""")
        minute += 20
        count += 1
    return head + "".join(blocks) + tail


def pull_request_body() -> str:
    return """## 🚨 HOTFIX - EMERGENCY DEPLOYMENT

**Incident Reference:** #2041
**Severity:** CRITICAL
**Emergency Justification:** Every card payment fails for all users; the fix is one line

### Issue Description
Card payments made with legacy stored cards fail with HTTP 500 because the stored currency
is null and the serializer dereferences it. All regions are affected since the 09:00 deploy.

### Fix Implementation
Default a missing currency to the account's currency in `PaymentSerializer`, and log the
card id so that the data can be repaired afterwards. No other behaviour changes.

### Testing Performed
- [x] Existing tests pass
- [x] New test validates fix
- [x] Manual validation: paid with a legacy stored card on staging
- [x] Staging validation: Y - deployed to staging and ran the smoke test of core functionality

### Risk Assessment
**Risks Accepted:** Review limited to one senior developer; load test skipped
**Rollback Plan:** Revert the merge commit and redeploy v3.14.0
**Monitoring Plan:** Watch the payment error rate and the checkout dashboard for 30 minutes
**Skipped Checks:** load test

### Post-Deployment Actions
- [ ] Monitor production for 30 minutes
- [ ] Verify issue resolution
- [ ] Schedule post-incident review
- [ ] Address any bypassed quality checks
"""


def best(function, text: str, rounds: int, batch: int) -> float:
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            function(text)
        results.append((time.perf_counter() - start) / batch)
    return min(results)


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--rounds", type=int, default=7)
    options.add_argument("--batch", type=int, default=50)
    args = options.parse_args(argv)
    bare = MarkdownIt("commonmark")
    ours = parser()
    cases = [("incident record", incident_record(), "incident.md"), ("PR description", pull_request_body(), "pr.md")]
    print("| document | lines | bytes | markdown-it parse | our parse (block level) | extraction (parse included) | ratio to markdown-it |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for name, text, path in cases:
        document = parse_document(text, path=path)
        assert document.kind is not None and not [f for f in document.findings if f.rule != "DOC002"], document.findings
        for function in (bare.parse, ours.parse, lambda t: parse_document(t, path=path)):
            function(text)  # warm caches
        baseline = best(bare.parse, text, args.rounds, args.batch)
        block = best(ours.parse, text, args.rounds, args.batch)
        full = best(lambda t: parse_document(t, path=path), text, args.rounds, args.batch)
        ratio = full / baseline
        worst = max(worst, ratio)
        print(f"| {name} | {len(text.splitlines())} | {len(text.encode())} | {baseline * 1e3:.2f} ms | "
              f"{block * 1e3:.2f} ms | {full * 1e3:.2f} ms | {ratio:.2f}x |")
    print(f"\nworst ratio {worst:.2f}x (target <= 1.5x)")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
