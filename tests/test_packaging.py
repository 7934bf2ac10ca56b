"""The package as users install it: one import package, `hotfix_policy`, from a wheel and from an
editable install alike, with the schemas and the pack inside it and `policy` on the PATH."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import venv
import zipfile

import pytest

from tests.conftest import REPO

NAMES_THAT_MUST_NOT_INSTALL = ("engine", "lsp", "cli", "schemas", "policies")
FIND_TOP_LEVEL = ("import importlib.util, json; "
                  f"print(json.dumps({{n: importlib.util.find_spec(n) is not None for n in {NAMES_THAT_MUST_NOT_INSTALL!r}}}))")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """An sdist and the wheel built from it, as `python -m build` makes them."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = out.glob("hotfix_policy-*.whl")
    (sdist,) = out.glob("hotfix_policy-*.tar.gz")
    return wheel, sdist


def _fresh_venv(path):
    venv.EnvBuilder(with_pip=True).create(path)
    return path / "bin" / "python"


def test_wheel_installs_one_import_package_with_its_data(dist):
    wheel, _ = dist
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"hotfix_policy"}
    assert "hotfix_policy/engine/cel/grammar.lark" in names
    assert "hotfix_policy/lsp/server.py" in names and "hotfix_policy/cli/main.py" in names
    assert "hotfix_policy/schemas/incident.schema.json" in names
    assert "hotfix_policy/schemas/report.schema.json" in names   # the `--format json` contract
    assert "hotfix_policy/policies/hotfix/incident.yaml" in names
    assert any(n.startswith("hotfix_policy/engine/documents/templates/") for n in names)


def test_sdist_carries_what_the_wheel_is_built_from(dist):
    _, sdist = dist
    names = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
    assert {"setup.py", "pyproject.toml", "engine/cel/grammar.lark", "policies/hotfix/incident.yaml"} <= names


def test_installed_policy_runs(dist, tmp_path):
    wheel, _ = dist
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    policy = python.parent / "policy"
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
    rules = {finding["rule"] for finding in json.loads(check.stdout)["findings"]}
    assert {"INC006", "INC010", "PR006", "PR011"} <= rules
    located = subprocess.run([str(python), "-c", "from hotfix_policy.engine.resources import resource_dir; "
                              "print(resource_dir('schemas'))"], capture_output=True, text=True, timeout=60,
                             cwd=tmp_path)
    assert located.stdout.strip().endswith("site-packages/hotfix_policy/schemas"), located.stdout + located.stderr
    top_level = subprocess.run([str(python), "-c", FIND_TOP_LEVEL], capture_output=True, text=True, timeout=60,
                               cwd=tmp_path)
    assert not any(json.loads(top_level.stdout).values()), top_level.stdout


def test_editable_install_maps_the_same_names(tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(REPO)],
                   check=True, timeout=600, capture_output=True)
    found = subprocess.run([str(python), "-c", "import hotfix_policy.engine as e, hotfix_policy.cli.main as m; "
                            "print(e.__file__); print(m.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert found.stdout.splitlines() == [str(REPO / "engine" / "__init__.py"), str(REPO / "cli" / "main.py")], \
        found.stdout + found.stderr
    top_level = subprocess.run([str(python), "-c", FIND_TOP_LEVEL], capture_output=True, text=True, timeout=60,
                               cwd=tmp_path)
    assert not any(json.loads(top_level.stdout).values()), top_level.stdout
