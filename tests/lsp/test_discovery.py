"""The editor finds the documents `policy check` finds: a hidden folder a `documents` glob names
is indexed, an excluded file is not, and an excluded file opened in the editor gets no
diagnostics (README: "A document the configuration excludes gets no diagnostics")."""

from __future__ import annotations

from pathlib import Path

from tests.lsp.helpers import CLEAN_INCIDENT, CONFIG, INCIDENT, codes, diagnostics_until, log_message, \
    open_document, start


async def test_the_index_follows_documents_and_exclude_and_excluded_files_get_no_diagnostics(client, workspace: Path):
    (workspace / ".policy.yaml").write_text(
        CONFIG + "documents: {incident: ['.github/hotfix/*.md']}\nexclude: ['drafts/']\n", encoding="utf-8")
    for name, number in ((".github/hotfix/pr-notes.md", 2), ("drafts/INC-9.md", 9), (".hidden/INC-3.md", 3)):
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(CLEAN_INCIDENT.replace("INC-1", f"INC-{number}"), encoding="utf-8")
    await start(client, workspace)
    await log_message(client, "workspace index ready: 2 documents")  # INC-1 and the one under .github
    excluded = open_document(client, workspace / "drafts" / "INC-10.md", INCIDENT)
    judged = open_document(client, workspace / "incidents" / "INC-7.md", INCIDENT)
    assert codes(await diagnostics_until(client, judged, lambda d: len(d) == 2)) == ["T001", "T002"]
    assert list(await diagnostics_until(client, excluded, lambda d: True)) == []
