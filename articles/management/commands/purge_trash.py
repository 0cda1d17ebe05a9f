from django.conf import settings
from django.core.management.base import BaseCommand

from articles import workflow


class Command(BaseCommand):
    help = (
        "Delete for good the stories in the trash for longer than NEWSROOM_TRASH_DAYS (30 unless set), "
        "with their revisions. Run it daily (cron or a systemd timer); until then an editor can restore them."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        purged = workflow.purge_trash()
        if verbosity > 1:
            for headline in purged:
                self.stdout.write(f"purged: {headline}")
        stories = "story" if len(purged) == 1 else "stories"
        self.stdout.write(f"Purged {len(purged)} {stories} in the trash for more than {settings.TRASH_DAYS} days.")
