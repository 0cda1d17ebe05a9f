import os

from django.core.management.base import BaseCommand

from demo.content import load_demo

DEFAULT_PASSWORD = "newsroom-demo"  # noqa: S105 - the documented demo accounts' password


class Command(BaseCommand):
    help = "Load the demo content (the seed story included) and the demo accounts. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("NEWSROOM_DEMO_PASSWORD") or DEFAULT_PASSWORD,
            help="Password of the demo accounts (default: $NEWSROOM_DEMO_PASSWORD or %(default)s).",
        )

    def handle(self, *args, password: str, **options) -> None:
        result = load_demo(password=password)
        for line in result.created:
            self.stdout.write(f"created {line}")
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(result.created)} new objects)."))
