"""The pip-audit ignore list accepts only dated, explained entries, and only for 90 days."""

import datetime
import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("ci_audit", Path(__file__).parent.parent / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

TODAY = datetime.date(2026, 11, 26)


def ignores(tmp_path, monkeypatch, text):
    path = tmp_path / "ignore.txt"
    path.write_text(text)
    monkeypatch.setattr(audit, "IGNORE_FILE", path)
    return audit.read_ignores(TODAY)


def test_a_dated_explained_entry_is_ignored(tmp_path, monkeypatch):
    text = "# comment\n\nPYSEC-2026-1 2026-11-01 only the MySQL backend, which we do not use\n"
    assert ignores(tmp_path, monkeypatch, text) == ["PYSEC-2026-1"]


@pytest.mark.parametrize(
    "line, problem",
    [
        ("PYSEC-2026-1", "expected `ID YYYY-MM-DD reason`"),
        ("PYSEC-2026-1 2026-11-01", "expected `ID YYYY-MM-DD reason`"),
        ("PYSEC-2026-1 2026-08-01 reviewed long ago", "review it again"),
    ],
)
def test_an_undated_unexplained_or_stale_entry_fails_the_audit(tmp_path, monkeypatch, line, problem):
    with pytest.raises(SystemExit) as failure:
        ignores(tmp_path, monkeypatch, line + "\n")
    assert problem in str(failure.value)


def test_the_committed_ignore_list_is_valid():
    assert isinstance(audit.read_ignores(datetime.date.today()), list)
