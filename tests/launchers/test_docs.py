"""What the documentation tells users to run: the server is `policy lsp --stdio`, never the old
top-level modules through `python -m` (which no longer exist, and which imported the workspace's
own `lsp/` or `engine/` when started from it). The Emacs recipe is run by
tests/editors/test_emacs.py; the Helix one cannot be (no Helix on Debian 12), so its command is
checked here."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

DOCS = ("README.md", "docs/integrations.md", "editors/README.md", "editors/neovim/README.md",
        "editors/neovim/lua/hotfix_policy.lua", "editors/vscode/README.md", "editors/vscode/package.json")
OLD_MODULES = re.compile(r"""-m\s+(lsp|engine)\b|["']-m["'],?\s*["'](lsp|engine)\b""")


@pytest.mark.parametrize("name", DOCS)
def test_no_instruction_starts_the_old_modules(name: str):
    text = (REPO / name).read_text(encoding="utf-8")
    assert [match.group(0) for match in OLD_MODULES.finditer(text)] == []


def test_helix_recipe_runs_policy_lsp():
    (toml,) = re.findall(r"```toml\n(.*?)```", (REPO / "editors" / "README.md").read_text(encoding="utf-8"), re.S)
    server = toml.split("[[language]]")[0]
    assert re.search(r'^command = "policy"$', server, re.M) and re.search(r'^args = \["lsp", "--stdio"\]$', server, re.M)
