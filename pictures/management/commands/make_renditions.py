from django.core.management.base import BaseCommand
from tqdm import tqdm

from pictures.renditions import make_missing, prune_orphans


class Command(BaseCommand):
    help = "Make the renditions of pictures that have none (or of all pictures), outside any page request."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="Make every picture's renditions again.")
        parser.add_argument(
            "--prune", action="store_true", help="Also delete stored picture folders that no picture row owns."
        )

    def handle(self, *args, all: bool, prune: bool, verbosity: int, **options) -> None:
        with tqdm(unit="picture", disable=verbosity == 0, file=self.stderr) as progress:
            made, failed = make_missing(everything=all, progress=progress)
        for key, error in failed:
            self.stderr.write(f"picture {key}: {error}")
        self.stdout.write(f"Renditions made for {made} picture(s); {len(failed)} failed.")
        if prune:
            removed = prune_orphans()
            self.stdout.write(f"Removed {len(removed)} stored folder(s) that no picture owns.")
