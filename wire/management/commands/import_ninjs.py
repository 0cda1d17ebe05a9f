import signal
import threading
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wire.importer import Outcome, Rejected, import_document, read_within_limit
from wire.ingest import Watcher, summary
from wire.models import Source
from wire.packages import FolderFiles


def import_path(path: Path, *, user, source: Source | None = None) -> Outcome:
    """One file: read within the size limit, then imported; a file that cannot be read is rejected."""
    try:
        with path.open("rb") as stream:
            raw = read_within_limit(stream)
    except Rejected as error:
        return Outcome(str(path), "rejected", str(error))
    except OSError as error:
        return Outcome(str(path), "rejected", f"it could not be read ({error.strerror or error})")
    # A package's pictures are looked up in the file's own folder (wire.packages.FolderFiles).
    outcome = import_document(
        str(path),
        raw,
        user=user,
        default_credit=source.default_credit if source else None,
        default_section=source.default_section if source else None,
        files=FolderFiles(path.parent),
    )
    if source is not None:
        outcome.message = f"{outcome.message}; from {source.name}"
    return outcome


class Command(BaseCommand):
    help = (
        "Import IPTC ninjs files (1.x, 2.x, 3.x) as draft articles. Folders are read for *.json files. "
        "A file that cannot be imported is one 'rejected' line; the others are imported all the same. "
        "With --watch DIR, poll DIR for new files (and zips of them) until stopped, moving each to "
        "DIR/done/ or DIR/failed/ with a .log of its lines."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="ninjs files or folders of them")
        parser.add_argument("--user", help="user name to record as the importer (default: none)")
        parser.add_argument(
            "--source", help="name of the wire source (admin: Wire → Sources) whose default credit to apply"
        )
        parser.add_argument("--watch", type=Path, metavar="DIR", help="poll this folder until stopped")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="seconds between looks at the watched folder (default: 2)"
        )

    def handle(
        self,
        *args,
        paths: list[Path],
        user: str | None,
        source: str | None,
        watch: Path | None,
        interval: float,
        verbosity: int,
        **options,
    ) -> None:
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user named {user!r}.")
        origin = None
        if source:
            origin = Source.objects.filter(name=source).first()
            if origin is None:
                raise CommandError(f"No wire source named {source!r}.")
        if watch is not None:
            if paths:
                raise CommandError("Give either --watch DIR or files and folders to import, not both.")
            self.watch(watch, interval=interval, user=importer, source=origin)
            return
        if not paths:
            raise CommandError("Give ninjs files or folders to import, or --watch DIR.")
        self.import_paths(paths, user=importer, source=origin, verbosity=verbosity)

    def write_outcome(self, outcome: Outcome) -> None:
        (self.stderr if outcome.status == "rejected" else self.stdout).write(str(outcome))

    def watch(self, folder: Path, *, interval: float, user, source: Source | None) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        watcher = Watcher(folder, interval=interval, user=user, source=source, write=self.write_outcome)

        def stop(signum, frame) -> None:
            watcher.stop.set()  # the file being imported is finished and moved first

        # Python lets only the main thread set handlers (call_command in a thread runs without).
        main = threading.current_thread() is threading.main_thread()
        previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT) if main}
        self.stdout.write(f"Watching {folder} every {interval:g} s (stop with Ctrl-C or SIGTERM).")
        try:
            watcher.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write(f"Stopped. {summary(watcher.outcomes, watcher.files)}")

    def import_paths(self, paths: list[Path], *, user, source: Source | None, verbosity: int) -> None:
        files = []
        for path in paths:
            if path.is_dir():
                files += sorted(p for p in path.rglob("*.json") if p.is_file())
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path} is neither a file nor a folder.")

        outcomes = []
        with tqdm(files, unit="file", disable=verbosity == 0 or len(files) < 20, file=self.stderr) as progress:
            for path in progress:
                outcome = import_path(path, user=user, source=source)
                outcomes.append(outcome)
                # tqdm.write() would add a blank line after each: the output wrapper ends lines itself.
                with progress.external_write_mode(file=self.stderr if outcome.status == "rejected" else self.stdout):
                    self.write_outcome(outcome)
        self.stdout.write(summary(outcomes, len(files)))
        if rejected := sum(outcome.status == "rejected" for outcome in outcomes):
            raise CommandError(f"{rejected} file(s) rejected.", returncode=2)
