"""The layers of docs/architecture.md hold: import-linter keeps them, and breaks on a lower
layer importing a higher one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["newsroom", "articles", "authors", "pictures", "desk", "fronts", "public", "wire", "demo"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the project's Python packages and pyproject.toml, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.json"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_layers_are_kept(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "higher"),
    [
        ("articles/workflow.py", "public.caching"),  # the content calling the readers' caches
        ("desk/admin.py", "wire.importer"),  # the desk reaching up to the wire
        ("newsroom/lib/html.py", "articles.models"),  # a helper importing an app
        ("public/views.py", "wire.exporter"),  # the readers' app reaching up to the wire
    ],
)
def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tree, module, higher):
    with (tree / module).open("a") as source:
        source.write(f"\nimport {higher}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert f"{module[:-3].replace('/', '.')} -> {higher}" in result.stdout
