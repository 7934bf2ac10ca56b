"""The build's one job beyond pyproject.toml: map the repository's top-level folders into one
import package, so that the installed names are `hotfix_policy.engine`, `hotfix_policy.lsp`,
`hotfix_policy.cli`, with the bundled `schemas/` and `policies/` beside them, and never a
top-level `engine` or `lsp`. Sub-packages are found here rather than listed, so a new folder
needs no change to the build. `pip install .` and `pip install -e .` give the same names.
"""

from setuptools import find_namespace_packages, setup

FOLDERS = ("engine", "lsp", "cli", "schemas", "policies")
DATA_FILES = ["*.lark", "*.json", "*.yaml", "*.md", "*.txt"]


def packages_in(folder: str) -> list:
    inner = find_namespace_packages(folder, exclude=["*__pycache__*"])
    return [f"hotfix_policy.{folder}"] + [f"hotfix_policy.{folder}.{name}" for name in inner]


setup(
    package_dir={f"hotfix_policy.{folder}": folder for folder in FOLDERS},
    packages=[name for folder in FOLDERS for name in packages_in(folder)],
    package_data={"": DATA_FILES},
)
