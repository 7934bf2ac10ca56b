"""Extraction speed against markdown-it-py's own parse of the same text, in the same run.

    python benchmarks/extract.py [--rounds N]

For a 150-line incident record, a hotfix PR description and 300 records of the scale issue's
history shape (`corpus.incident`, 3-12 updates), times (best of N rounds, each the mean of a
batch) markdown-it-py's bare parse (`MarkdownIt("commonmark").parse(text)`, the parse a user
would call), the block parse with markdown-it-py (the reference, block level only: extraction
reads raw lines), the block parse extraction uses (markdown-it-pyrs where it reads alike, when
the `fast` extra is installed: `engine/documents/blocks.py`), and the whole extraction
(`parse_document`: decoding, secrets scan, parse, kind detection, scopes, schema-driven
extraction, validation when needed) with the reference parser and with the one extraction
uses. The target is extraction <= 1.5x the bare parse. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from markdown_it import MarkdownIt

from hotfix_policy.engine.documents import blocks, markdown, parse_document

import corpus


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


def history_records(count: int = 300) -> list:
    rng = random.Random(2041)
    return [corpus.incident(rng, 1000 + number, updates=(3, 13), notes=(0, 1),
                            first_day=datetime(2024, 12, 1, tzinfo=timezone.utc), days=720) for number in range(count)]


def best(function, texts: list, rounds: int, batch: int) -> float:
    """Best of `rounds` mean times of `function` over `texts` (`batch` passes per round)."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            for text in texts:
                function(text)
        results.append((time.perf_counter() - start) / batch / len(texts))
    return min(results)


@contextmanager
def reference_only():
    """Extraction with markdown-it-py alone, as without the `fast` extra."""
    chosen, markdown.blocks = markdown.blocks, blocks.reference_blocks
    try:
        yield
    finally:
        markdown.blocks = chosen


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--rounds", type=int, default=7)
    options.add_argument("--batch", type=int, default=50)
    args = options.parse_args(argv)
    bare = MarkdownIt("commonmark")
    history = history_records()
    cases = [("incident record", [incident_record()], "incident.md", args.batch),
             ("PR description", [pull_request_body()], "pr.md", args.batch),
             (f"{len(history)} history records (per record)", history, "incidents/INC-1.md", max(1, args.batch // 25))]
    print(f"parsers: {blocks.parser_versions()}; load average {os.getloadavg()[0]:.2f}\n")
    print("| document | lines | bytes | markdown-it parse | block parse, markdown-it-py | block parse used "
          "| extraction, markdown-it-py | extraction | extraction speed-up | ratio to markdown-it |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for name, texts, path, batch in cases:
        def extract(text, path=path):
            return parse_document(text, path=path)

        for text in texts:
            document = extract(text)
            assert document.kind is not None and not [f for f in document.findings if f.rule != "DOC002"], \
                document.findings
        for function in (bare.parse, blocks.reference_blocks, blocks.blocks, extract):
            function(texts[0])  # warm caches
        baseline = best(bare.parse, texts, args.rounds, batch)
        reference_block = best(blocks.reference_blocks, texts, args.rounds, batch)
        block = best(blocks.blocks, texts, args.rounds, batch)
        with reference_only():
            reference_full = best(extract, texts, args.rounds, batch)
        full = best(extract, texts, args.rounds, batch)
        ratio = full / baseline
        worst = max(worst, ratio)
        lines = sum(len(text.splitlines()) for text in texts) // len(texts)
        size = sum(len(text.encode()) for text in texts) // len(texts)
        print(f"| {name} | {lines} | {size} | {baseline * 1e3:.2f} ms | {reference_block * 1e3:.2f} ms | "
              f"{block * 1e3:.2f} ms | {reference_full * 1e3:.2f} ms | {full * 1e3:.2f} ms | "
              f"{reference_full / full:.2f}x | {ratio:.2f}x |")
    print(f"\nworst ratio {worst:.2f}x (target <= 1.5x); load average {os.getloadavg()[0]:.2f}")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
