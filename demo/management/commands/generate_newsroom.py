from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo import generate as generator


class Command(BaseCommand):
    help = "Generate a large, realistic newsroom for benchmarks (deterministic for a seed; bulk inserts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--authors", type=int, default=1_000)
        parser.add_argument("--tags", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until",
            type=datetime.fromisoformat,
            default=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0),
            help="the newest publication time (ISO 8601; default: today 00:00 UTC)",
        )
        parser.add_argument("--analyze", action="store_true", help="run ANALYZE afterwards (make bench-data does)")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing if this version of the generator wrote the data for this seed already; "
            "replace data an older version wrote",
        )

    def handle(self, *args, articles: int, authors: int, tags: int, seed: int, until, analyze: bool, **options):
        if min(articles, authors, tags) < 1 or authors < 20:
            raise CommandError("Give at least one article, one tag and 20 authors.")
        if options["if_missing"] and generator.is_current(seed):
            self.stdout.write(f"Data for seed {seed} is there already; nothing to do.")
            return
        if options["if_missing"] and generator.already_generated(seed):
            removed = generator.remove(seed)
            self.stdout.write(f"Removed {removed} stories an older version of the generator wrote; generating anew.")
        until = until if until.tzinfo else until.replace(tzinfo=UTC)
        with tqdm(total=articles, unit="article", file=self.stderr, disable=options["verbosity"] == 0) as bar:
            try:
                counts = generator.generate(
                    articles=articles, authors=authors, tags=tags, seed=seed, until=until, progress=bar.update
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        if analyze:
            generator.analyze()
        self.stdout.write(
            f"Generated {counts.articles} articles, {counts.authors} authors, {counts.tags} tags, "
            f"{counts.bylines} bylines and {counts.tagged} tag links."
        )
