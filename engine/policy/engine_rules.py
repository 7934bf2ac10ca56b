"""The findings the engine reports itself: ids, default severities and what they mean.

They take part in severity overrides, waivers and every output like any pack rule.
"""

from __future__ import annotations

from ..findings import Severity

ENGINE_RULES = {
    "DOC001": (Severity.INFO, "Unknown kind: a file named explicitly is not a document of any known kind.",
               "Name the kind with front matter `kind:`, a config glob or `--kind`. A kind that front matter "
               "declares but that does not exist (`kind: incidnet`) is an error wherever the file is found: "
               "the author meant it to be checked, and it would otherwise drop out of every check."),
    "DOC002": (Severity.ERROR, "Template text where a value is needed: a placeholder left in a filled block, "
                               "or a block a rule needs still the template's text.",
               "Placeholders such as `[Brief description]` are never values: the document is not finished "
               "until each is replaced. Reported once each, at the placeholder, and no pack rule says it "
               "again (a rule asking whether the field is there counts it as there). A block that holds "
               "placeholders and otherwise only the template's own lines is unfilled and the rules do not "
               "see it; when a rule fails for want of that block, one DOC002 at the block names the rule "
               "and the rule says nothing more. Fill it in."),
    "DOC004": (Severity.INFO, "A block is still the template's text and no rule needs it yet.",
               "The update, resolution and closing blocks of `policy new incident` before those events: "
               "one DOC004 at the block, and no rule reads it, so its `Status: CLOSED` closes nothing. "
               "Fill it in when the event happens, or delete it."),
    "DOC003": (Severity.ERROR, "The document cannot be read: bad encoding, binary content or over the size or line "
                               "limit.",
               "Save documents as UTF-8 text under the limits (1 MB, 20,000 lines); no rule judges a document "
               "that cannot be read."),
    "SCHEMA001": (Severity.ERROR, "A value has the wrong type or format (a time that is not a time).",
                  "Rules can only judge values they can read; write the value in an accepted form."),
    "EVAL001": (Severity.ERROR, "A rule could not be evaluated on this document.",
                "The rule read something that is missing or of an unexpected type; the message says what."),
    "WVR001": (Severity.WARNING, "A waiver expires soon (within data.waiver_warning_days).",
               "Renew or remove it before the findings it hides come back."),
    "WVR002": (Severity.WARNING, "A waiver matches no finding (stale).", "Remove waivers that no longer apply."),
    "WVR003": (Severity.ERROR, "A waiver is invalid and not honoured.",
               "Approver not in data.admins, approver wrote a waived document, no justification (blank, "
               "invisible, a placeholder or TODO), malformed, expired, or expiring more than "
               "data.max_waiver_days ahead."),
    "POL001": (Severity.ERROR, "The pull request changes the configuration or policies that judge it.",
               "A pull-request run is judged by the configuration and local policies of the pull request's base "
               "commit, never by the pull request's own edits to them: otherwise a PR could switch a rule off, add "
               "a waiver or its author to data.admins, drop the pack or rewind `clock` and pass. The edit itself "
               "is reported here on the pull request, with the files it changes, adds or removes, until someone "
               "in the base's data.admins who is not the PR's author approves it on GitHub (an APPROVED review "
               "in --reviews). `--policy-from working-tree` judges a local run by the edited files instead."),
}
