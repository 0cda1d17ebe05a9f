"""After `make demo`, the README's manage.py commands work as written in the same checkout, with
no other step: the demo leaves its settings in .env, which manage.py reads."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ["manage.py", "Makefile", "requirements.txt", "requirements-dev.txt", "README.md"]
FOLDERS = [
    "newsroom",
    "articles",
    "authors",
    "pictures",
    "desk",
    "fronts",
    "public",
    "wire",
    "demo",
    "templates",
    "jinja2",
    "static",
]
EXAMPLE = ROOT / "tests" / "ninjs" / "examples" / "v2.1-ntb_text.json"


def shell_commands(readme: str) -> list[str]:
    """Every manage.py line of the README's ```sh blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if "manage.py" in line]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of the checkout (sharing its .venv) after `make demo`'s set-up, without its server."""
    root = tmp_path_factory.mktemp("checkout")
    for name in PROJECT:
        shutil.copy2(ROOT / name, root / name)
    for name in FOLDERS:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".venv").symlink_to(ROOT / ".venv")
    result = run(root, "make", "demo-setup")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def run(root: Path, *command: str, **env: str) -> subprocess.CompletedProcess:
    """A command as a new user types it: none of the test run's settings in the environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        command, cwd=root, env={**clean, **env}, capture_output=True, text=True, timeout=300, check=False
    )


def test_make_demo_leaves_its_settings_where_manage_py_finds_them(checkout):
    settings = (checkout / ".env").read_text()
    assert "DJANGO_DEBUG=0" in settings
    assert re.search(r"^DJANGO_SECRET_KEY=\S{50,}$", settings, flags=re.M)


def test_the_readmes_import_ninjs_line_works_as_written(checkout):
    (line,) = [command for command in shell_commands((ROOT / "README.md").read_text()) if "import_ninjs" in command]
    story = json.loads(EXAMPLE.read_text())
    (checkout / "story.json").write_text(json.dumps(story))
    (checkout / "agency-folder").mkdir()
    (checkout / "agency-folder" / "second.json").write_text(json.dumps({**story, "uri": "urn:example:second"}))
    result = run(checkout, *line.split())
    assert result.returncode == 0, result.stderr
    assert "2 file(s): 2 imported." in result.stdout


@pytest.mark.parametrize(
    ("command", "env", "says"),
    [
        (["make_renditions"], {}, "Renditions made for"),
        (["purge_trash"], {}, "Purged 0 stories in the trash for more than 30 days."),
        (["shell", "-c", "from articles.models import Article; print(Article.objects.count())"], {}, ""),
        (
            ["createsuperuser", "--no-input", "--username", "chief", "--email", "chief@newsroom.invalid"],
            {"DJANGO_SUPERUSER_PASSWORD": "a long password for the chief"},
            "Superuser created successfully.",
        ),
    ],
    ids=["make_renditions", "purge_trash", "shell", "createsuperuser"],
)
def test_other_manage_py_commands_work_after_the_demo(checkout, command, env, says):
    result = run(checkout, ".venv/bin/python", "manage.py", *command, **env)
    assert result.returncode == 0, result.stderr
    assert says in result.stdout


def test_the_environment_wins_over_the_demos_settings(checkout):
    result = run(
        checkout,
        ".venv/bin/python",
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
