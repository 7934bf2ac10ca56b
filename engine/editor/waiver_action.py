"""The "add a waiver" quick fix: a waiver entry for a finding, added to `.policy.yaml`, and the
place of its justification, where the editor then puts the cursor.

The entry names the document as waivers match it: by its id, else by its path relative to the
configuration's folder (never the machine's absolute path, which would match nowhere else).
The justification is left for the person to write: the cursor waits on it. An empty string
there would be one more invalid waiver to read about; a text of ours would be a reason nobody
gave.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from ..policy.waivers import waiver_path
from ..span import line_column
from . import text as texts
from .model import CodeAction, TextEdit

SHOW_PLACE = "hotfix-policy.showPlace"
"""The command that opens a file at a place: (path, 1-based line, 1-based column)."""

JUSTIFICATION = "justification: "


def waiver_action(finding, document, config_path: str, config_text: str, data: dict, now: datetime) -> CodeAction:
    """A waiver of the finding added to `.policy.yaml`'s `waivers` list, then the file shown with
    the cursor where the justification goes."""
    admins = [str(a) for a in data.get("admins") or []]
    expires = (now + timedelta(days=14)).date().isoformat()
    ident = document.id or waiver_path(finding.path, os.path.dirname(os.path.abspath(config_path)))
    entry = [f"- rules: [{finding.rule}]", f"  documents: [\"{ident}\"]",
             f"  approved_by: {admins[0] if admins else chr(34) * 2}", f"  expires: {expires}",
             "  " + JUSTIFICATION]
    edit, line, column = _waiver_edit(config_path, config_text, entry)
    return CodeAction(f"Add a waiver of {finding.rule} for {ident} to {_name(config_path)}", "quickfix",
                      (edit,), (SHOW_PLACE, (config_path, line, column)), finding.rule)


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _waiver_edit(config_path: str, config_text: str, entry: list) -> tuple:
    """(the edit adding `entry` to the file's waivers, the 1-based line and column after the
    justification key once the edit is made)."""
    text = config_text.replace("\r\n", "\n")
    start, end, block = _insertion(config_path, text, entry)
    after = text[:start] + block
    line, column = line_column(after, after.rindex(JUSTIFICATION) + len(JUSTIFICATION))
    return TextEdit(texts.span(text, start, end), block, config_path), line, column


def _insertion(config_path: str, text: str, entry: list) -> tuple:
    """(start, end, new text): where the entry goes in the file and how it is written there."""
    from ..located_yaml import YamlError, load_yaml

    try:
        loaded = load_yaml(text, config_path)
    except YamlError:
        loaded = None
    if loaded is not None and isinstance(loaded.data, dict) and isinstance(loaded.data.get("waivers"), list):
        value = loaded.value_span(("waivers",))
        items = loaded.data["waivers"]
        if items and value is not None and text[value.start:value.start + 1] != "[":
            first = loaded.value_span(("waivers", 0))
            line_start = text.rfind("\n", 0, first.start) + 1
            dash = text.rfind("-", line_start, first.start)
            indent = " " * (dash - line_start if dash >= line_start else 2)
            end = loaded.value_span(("waivers", len(items) - 1)).end
            return end, end, "".join("\n" + indent + line for line in entry)
        if value is not None:  # `waivers: []`
            key = loaded.key_span(("waivers",))
            return key.end, value.end, ":" + "".join("\n  " + line for line in entry)
    prefix = "" if not text or text.endswith("\n") else "\n"
    return len(text), len(text), prefix + "waivers:\n" + "".join("  " + line + "\n" for line in entry)
