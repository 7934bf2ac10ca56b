"""A run places each document at its file of the checkout the way one path alone is placed: links
resolved, folders that are links resolved, nothing outside the root, no folder or device."""

from __future__ import annotations

import os
from pathlib import Path

from hotfix_policy.engine.report.placement import checkout_file, document_infos
from hotfix_policy.engine.documents.model import Document


def test_every_path_of_a_run_is_placed_as_alone(tmp_path: Path, monkeypatch):
    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    (root / "incidents" / "INC-1.md").write_text("# INC-1\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "INC-2.md").write_text("# INC-2\n", encoding="utf-8")
    (root / "linked.md").symlink_to(root / "incidents" / "INC-1.md")
    (root / "out.md").symlink_to(outside / "INC-2.md")
    (root / "folder-link").symlink_to(root / "incidents", target_is_directory=True)
    (root / "outer").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(root)
    paths = ["incidents/INC-1.md", "./incidents/INC-1.md", "linked.md", "out.md", "folder-link/INC-1.md",
             "outer/INC-2.md", "outer/../incidents/INC-1.md", "folder-link/../linked.md", "incidents",
             "absent.md", str(root / "incidents" / "INC-1.md"), "/dev/null", "-"]
    documents = [Document("incident", f"INC-{n}", path, "") for n, path in enumerate(paths)]
    infos = document_infos(documents, root=str(root))
    real_root = os.path.realpath(root)
    assert {path: infos[path].file for path in paths} == {path: checkout_file(path, real_root) for path in paths}
    assert infos["folder-link/INC-1.md"].file == "incidents/INC-1.md" and infos["outer/INC-2.md"].file is None


def test_a_folder_whose_name_starts_as_the_root_is_not_below_it(tmp_path: Path, monkeypatch):
    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    (root / "incidents" / "INC-1.md").write_text("# INC-1\n", encoding="utf-8")
    (tmp_path / "repo-fork").mkdir()
    (tmp_path / "repo-fork" / "INC-2.md").write_text("# INC-2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    paths = ["repo/incidents/INC-1.md", "repo-fork/INC-2.md"]
    infos = document_infos([Document("incident", f"INC-{n}", path, "") for n, path in enumerate(paths)],
                           root=str(root))
    assert [infos[path].file for path in paths] == ["incidents/INC-1.md", None]
