"""What `policy check` and `policy report` say on stderr about finding the documents: a named
file the configuration excludes, a folder that held no document of a known kind, and a run
that found nothing at all.

A run that judged no document exits 2 (a mistake in the command line or the configuration,
like eslint's "No files matching the pattern"): it must never pass in CI because it looked in
the wrong place. A folder without documents in a run that judged others (the repository's git
facts, a pull request's event) is a warning: a repository with no incident yet is not an error.
"""

from __future__ import annotations

import sys

from ...engine.documents.secrets import mask_text
from ...engine.errors import UsageError

ADVICE = "name files explicitly, add front matter 'kind:', or set 'documents' in .policy.yaml"


def tell(command: str, discovered, documents: int, config) -> None:
    """Print the notes of one run's `Discovered`; UsageError when it judged no document."""
    where = config.path or ".policy.yaml"
    for excluded in discovered.excluded:
        if excluded.folder is None:
            say(f"policy {command}: {excluded.path} is excluded by {where} ('{excluded.glob}'): not "
                f"{'checked' if command == 'check' else 'counted'}; remove it from 'exclude' to include it")
    for folder, read, left_out in discovered.empty_folders:
        excluded = f", {left_out} excluded by {where}" if left_out else ""
        say(f"policy {command}: no documents of a known kind under {folder} ({_files(read)} read{excluded}); "
            f"{ADVICE}")
    if documents == 0:
        raise UsageError(f"no document to {command}: exit 2, as a run that judges nothing never passes")


def _files(count: int) -> str:
    return "1 file" if count == 1 else f"{count} files"


def say(note: str) -> None:
    """One note on stderr; a path can hold a secret as much as a document can."""
    print(mask_text(note), file=sys.stderr)
