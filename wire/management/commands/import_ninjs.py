from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wire.importer import import_document


class Command(BaseCommand):
    help = "Import IPTC ninjs files (1.x, 2.x, 3.x) as draft articles. Folders are read for *.json files."

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
                outcome = import_document(str(path), path.read_bytes(), user=importer)
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                line = str(outcome)
                progress.write(line, file=self.stderr if outcome.status == "rejected" else self.stdout, end="")
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to import"
        self.stdout.write(f"{len(files)} file(s): {summary}.")
        if counts.get("rejected"):
            raise CommandError(f"{counts['rejected']} file(s) rejected.", returncode=2)
