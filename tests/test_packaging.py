"""The wheel as a user installs it: built, installed into a fresh venv, `policy` runs."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (built,) = out.glob("hotfix_policy-*.whl")
    return built


def test_wheel_carries_schemas_and_policies(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "engine/cel/grammar.lark" in names
    assert any(n.startswith("engine/_bundled/schemas/") for n in names)
    assert any(n.startswith("engine/_bundled/policies/") for n in names)


def test_installed_policy_runs(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    policy = env_dir / "bin" / "policy"
    version = subprocess.run([str(policy), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "hotfix-policy" in version.stdout
    result = subprocess.run([str(policy), "eval", "doc.severity in ['CRITICAL', 'HIGH']", "--vars",
                             str(REPO / "examples" / "eval-vars.yaml")],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "true"), result.stderr
    check = subprocess.run([str(policy), "check", str(REPO / "examples"), "--format", "json", "--github-event",
                            str(REPO / "examples" / "github" / "event.json")],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert check.returncode == 1, check.stderr  # the example's mistakes, found by the bundled pack
    import json

    rules = {finding["rule"] for finding in json.loads(check.stdout)["findings"]}
    assert {"INC006", "INC010", "PR006", "PR011"} <= rules
    located = subprocess.run([str(python), "-c", "from engine.resources import resource_dir; "
                              "print(resource_dir('schemas'))"], capture_output=True, text=True, timeout=60,
                             cwd=tmp_path)
    assert "_bundled" in located.stdout
