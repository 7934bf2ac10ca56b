#!/usr/bin/env python3
"""A stand-in for the GitHub CLI, first on PATH in tests/integrations/test_action.py.

`gh api ENDPOINT --paginate` prints fixture pages from $FAKE_GH_DIR (`reviews-1.json`,
`reviews-2.json`, `files-1.json`, `files-2.json`), back to back as gh does. The PR's issue
comments live in `$FAKE_GH_DIR/comments.json`, a server-side state that `--method POST`
(create, as $FAKE_GH_LOGIN, default github-actions[bot]), `PATCH` and `DELETE` change, listed
two to a page. Every call is appended to `calls.log` (its arguments), and each written body to
`bodies.log` (one JSON line a call). `FAKE_GH_FAIL=1` fails every call, `FAKE_GH_READ_ONLY=1`
every write, as GitHub answers a token without the permission: HTTP 403.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

FORBIDDEN = "gh: Resource not accessible by integration (HTTP 403)"


def main(argv: list) -> int:
    state = Path(os.environ["FAKE_GH_DIR"])
    with open(state / "calls.log", "a", encoding="utf-8") as log:
        log.write(" ".join(argv) + "\n")
    if argv[:1] != ["api"]:
        return _fail(f"fake gh: unexpected call: {' '.join(argv)}", 2)
    args = argv[1:]
    method = args[args.index("--method") + 1] if "--method" in args else "GET"
    endpoint = next(a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] != "--method"))
    if os.environ.get("FAKE_GH_FAIL") or (method != "GET" and os.environ.get("FAKE_GH_READ_ONLY")):
        return _fail(FORBIDDEN, 1)
    body = json.loads(sys.stdin.read()) if "--input" in args else None
    if body is not None:
        with open(state / "bodies.log", "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": method, "endpoint": endpoint, "body": body["body"]}) + "\n")
    comments_file = state / "comments.json"
    comments = json.loads(comments_file.read_text(encoding="utf-8")) if comments_file.exists() else []
    if method == "GET" and re.search(r"/pulls/\d+/(reviews|files)\?", endpoint):
        what = "reviews" if "/reviews?" in endpoint else "files"
        sys.stdout.write((state / f"{what}-1.json").read_text() + (state / f"{what}-2.json").read_text())
        return 0
    if method == "GET" and re.search(r"/issues/\d+/comments\?", endpoint):
        pages = [comments[i:i + 2] for i in range(0, len(comments), 2)] or [[]]
        sys.stdout.write("".join(json.dumps(page) + "\n" for page in pages))
        return 0
    if method == "POST" and re.search(r"/issues/\d+/comments$", endpoint):
        comment = {"id": max([c["id"] for c in comments], default=1000) + 1, "body": body["body"],
                   "user": {"login": os.environ.get("FAKE_GH_LOGIN", "github-actions[bot]"), "type": "Bot"}}
        comments.append(comment)
    elif method in ("PATCH", "DELETE") and re.search(r"/issues/comments/\d+$", endpoint):
        number = int(endpoint.rsplit("/", 1)[1])
        found = [c for c in comments if c["id"] == number]
        if not found:
            return _fail("gh: Not Found (HTTP 404)", 1)
        if method == "PATCH":
            found[0]["body"] = body["body"]
        else:
            comments.remove(found[0])
    else:
        return _fail(f"fake gh: unexpected call: {' '.join(argv)}", 2)
    comments_file.write_text(json.dumps(comments, indent=2), encoding="utf-8")
    return 0


def _fail(message: str, status: int) -> int:
    print(message, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
