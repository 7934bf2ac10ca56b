"""What the action's shell step cannot do safely with shell alone: read JSON.

`pages.py join`: `gh api --paginate` prints each page of a list endpoint as its own JSON array,
back to back (`[...][...]`), which is not one JSON document; this joins the pages read from
stdin into one list on stdout, the shape `policy check --reviews` and `--changed-files` take.

`pages.py pr-number EVENT`: the pull request's number from a GitHub event file, or nothing
when the event carries no pull request (a push, a schedule): the event's shape decides, so every
event that carries the PR (pull_request, pull_request_target, pull_request_review) is one.

`pages.py base-sha EVENT`: the PR's base commit (`pull_request.base.sha`), or nothing; only a
full hexadecimal object name, so the value can never reach `git fetch` as an option.

Standard library only: it runs before and beside the installed package.
"""

from __future__ import annotations

import json
import re
import sys


def join_pages(text: str) -> list:
    """Every item of every JSON array in `text`, in order; a non-list page is an error."""
    decoder = json.JSONDecoder()
    items: list = []
    position, end = 0, len(text)
    while True:
        while position < end and text[position].isspace():
            position += 1
        if position >= end:
            return items
        page, position = decoder.raw_decode(text, position)
        if not isinstance(page, list):
            raise ValueError("a page is not a JSON list")
        items.extend(page)


def pull_request_number(event_path: str) -> str:
    event = _event(event_path)
    pull = event.get("pull_request")
    number = pull.get("number") if isinstance(pull, dict) else None
    if number is None and isinstance(pull, dict):
        number = event.get("number")
    return str(number) if isinstance(number, int) else ""


SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def base_sha(event_path: str) -> str:
    pull = _event(event_path).get("pull_request")
    base = pull.get("base") if isinstance(pull, dict) else None
    sha = base.get("sha") if isinstance(base, dict) else None
    return sha if isinstance(sha, str) and SHA.fullmatch(sha) else ""


def _event(event_path: str) -> dict:
    with open(event_path, encoding="utf-8") as handle:
        event = json.load(handle)
    return event if isinstance(event, dict) else {}


def main(argv: list) -> int:
    try:
        if argv[:1] == ["join"]:
            json.dump(join_pages(sys.stdin.read()), sys.stdout)
            sys.stdout.write("\n")
            return 0
        if argv[:1] == ["pr-number"] and len(argv) == 2:
            print(pull_request_number(argv[1]))
            return 0
        if argv[:1] == ["base-sha"] and len(argv) == 2:
            print(base_sha(argv[1]))
            return 0
    except (OSError, ValueError) as error:
        print(f"pages.py: {error}", file=sys.stderr)
        return 1
    print("usage: pages.py join < PAGES | pages.py pr-number EVENT | pages.py base-sha EVENT", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
