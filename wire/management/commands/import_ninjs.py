from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wire.importer import Outcome, Rejected, import_document, read_within_limit
from wire.packages import FolderFiles


def import_path(path: Path, *, user) -> Outcome:
    """One file: read within the size limit, then imported; a file that cannot be read is rejected."""
    try:
        with path.open("rb") as stream:
            raw = read_within_limit(stream)
    except Rejected as error:
        return Outcome(str(path), "rejected", str(error))
    except OSError as error:
        return Outcome(str(path), "rejected", f"it could not be read ({error.strerror or error})")
    # A package's pictures are looked up in the file's own folder (wire.packages.FolderFiles).
    return import_document(str(path), raw, user=user, files=FolderFiles(path.parent))


class Command(BaseCommand):
    help = (
        "Import IPTC ninjs files (1.x, 2.x, 3.x) as draft articles. Folders are read for *.json files. "
        "A file that cannot be imported is one 'rejected' line; the others are imported all the same."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="ninjs files or folders of them")
        parser.add_argument("--user", help="user name to record as the importer (default: none)")

    def handle(self, *args, paths: list[Path], user: str | None, verbosity: int, **options) -> None:
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user named {user!r}.")
        files = []
        for path in paths:
            if path.is_dir():
                files += sorted(p for p in path.rglob("*.json") if p.is_file())
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path} is neither a file nor a folder.")

        counts: dict[str, int] = {}
        with tqdm(files, unit="file", disable=verbosity == 0 or len(files) < 20, file=self.stderr) as progress:
            for path in progress:
                outcome = import_path(path, user=importer)
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                stream = self.stderr if outcome.status == "rejected" else self.stdout
                # tqdm.write() would add a blank line after each: the output wrapper ends lines itself.
                with progress.external_write_mode(file=stream):
                    stream.write(str(outcome))
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to import"
        self.stdout.write(f"{len(files)} file(s): {summary}.")
        if counts.get("rejected"):
            raise CommandError(f"{counts['rejected']} file(s) rejected.", returncode=2)
