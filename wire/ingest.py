"""Wire copy that arrives by itself: files dropped in a watched folder, and pushes over HTTP.

Both read what arrives as the desk's import page does (wire.forms.WireCopyForm: one ninjs file,
or a zip of them, within the same limits) and import each document with wire.importer, so every
line says what the command and the import page would say.

The watched folder is its own state: a file still in it has not been dealt with. A `.json` or
`.zip` file (not a dotfile, nor `story.json.part`: other names are left alone) is taken
once it has kept its size and modification time for a whole interval (so one still being
copied in waits), imported, and then moved with os.replace into `done/` (or `failed/`, if
anything in it was rejected) beside a `.log` of its import lines. A watcher stopped or killed
between the import and the move imports the file again when it restarts, and the importer
answers "unchanged": the agency's uri and version are the same.
"""

import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, connection
from django.utils.datastructures import MultiValueDict

from wire.forms import WireCopyForm
from wire.importer import Outcome, Rejected, import_document
from wire.models import Source

logger = logging.getLogger(__name__)
DONE, FAILED = "done", "failed"
# What the watcher takes: ninjs files and zips of them (a package with its pictures comes as a zip).
# Other files are left where they are, as are names copy tools use while a file is on its way.
TAKEN_SUFFIXES = (".json", ".zip")


def import_stream(name: str, stream, size: int, *, user=None, source: Source | None = None) -> list[Outcome]:
    """Import one ninjs file or zip of them, read from `stream` (`size` bytes, seekable): one
    Outcome per document, the source named on each line."""
    upload = UploadedFile(stream, name=name, size=size)
    form = WireCopyForm(data={}, files=MultiValueDict({"files": [upload]}))
    documents = form.cleaned_data["files"] if form.is_valid() else [(name, Rejected("it has no name to read it by"))]
    outcomes = []
    for member, raw in documents:
        if isinstance(raw, Rejected):
            outcome = Outcome(member, "rejected", str(raw))
        else:
            # A package's pictures come from its zip (the form knows where); a lone JSON file has none beside it.
            outcome = import_document(
                member,
                raw,
                user=user,
                default_credit=source.default_credit if source else None,
                default_section=source.default_section if source else None,
                files=form.files_for(member),
            )
        if source is not None:
            outcome.message = f"{outcome.message}; from {source.name}"
        logger.info("%s", outcome)
        outcomes.append(outcome)
    return outcomes


def summary(outcomes: Iterable[Outcome], files: int) -> str:
    """The command's closing line: "3 file(s): 2 imported, 1 rejected." """
    counts = Counter(outcome.status for outcome in outcomes)
    said = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to import"
    return f"{files} file(s): {said}."


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`… if a file of that name was dealt with before."""
    target, number = folder / name, 2
    stem, suffix = os.path.splitext(name)
    while target.exists() or target.with_name(target.name + ".log").exists():
        target, number = folder / f"{stem}-{number}{suffix}", number + 1
    return target


@dataclass
class Watcher:
    """Polls `folder` every `interval` seconds until `stop` is set; `write` gets each import line."""

    folder: Path
    interval: float = 2.0
    user: object = None
    source: Source | None = None
    write: Callable[[Outcome], None] = print
    stop: threading.Event = field(default_factory=threading.Event)
    outcomes: list[Outcome] = field(default_factory=list)
    files: int = 0
    _seen: dict[str, tuple[int, int]] = field(default_factory=dict)

    def run(self, *, rounds: int | None = None) -> None:
        """Poll until stopped (or for `rounds` polls, for tests). A stop is seen between files:
        the file being imported is finished and moved first."""
        for folder in (DONE, FAILED):
            (self.folder / folder).mkdir(exist_ok=True)
        done = 0
        while not self.stop.is_set() and (rounds is None or done < rounds):
            self.poll()
            done += 1
            if rounds is None or done < rounds:
                self.stop.wait(self.interval)

    def settled(self) -> list[Path]:
        """The files that have not changed since the last poll, oldest first."""
        current = {}
        for entry in os.scandir(self.folder):
            name = entry.name
            if name.startswith((".", "~")) or not name.lower().endswith(TAKEN_SUFFIXES):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue  # done/, failed/, other folders, and links that could point anywhere
            stat = entry.stat(follow_symlinks=False)
            current[name] = (stat.st_size, stat.st_mtime_ns)
        ready = [name for name, state in current.items() if self._seen.get(name) == state]
        self._seen = current
        return sorted((self.folder / name for name in ready), key=lambda path: (current[path.name][1], path.name))

    def poll(self) -> list[Outcome]:
        """One look at the folder: every settled file imported and moved out."""
        if not connection.in_atomic_block:
            close_old_connections()  # a long-lived process: reconnect after the database went away
        outcomes = []
        for path in self.settled():
            if self.stop.is_set():
                break
            outcomes += self.take(path)
        return outcomes

    def take(self, path: Path) -> list[Outcome]:
        """Import one file and move it, with its log, to done/ or failed/."""
        try:
            with path.open("rb") as stream:
                size = os.fstat(stream.fileno()).st_size
                outcomes = import_stream(path.name, stream, size, user=self.user, source=self.source)
        except FileNotFoundError:
            return []  # taken away since the folder was read
        except OSError as error:
            outcomes = [Outcome(path.name, "rejected", f"it could not be read ({error.strerror or error})")]
        failed = any(outcome.status == "rejected" for outcome in outcomes)
        target = _free_name(self.folder / (FAILED if failed else DONE), path.name)
        # The log first: a watcher stopped between the two imports the file again, as "unchanged".
        target.with_name(target.name + ".log").write_text("".join(f"{outcome}\n" for outcome in outcomes))
        os.replace(path, target)
        self._seen.pop(path.name, None)
        self.files += 1
        for outcome in outcomes:
            self.write(outcome)
        self.outcomes += outcomes
        return outcomes
