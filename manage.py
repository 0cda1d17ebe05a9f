#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def load_env_file() -> None:
    """The settings `make demo` leaves in .env beside this file, so that every command works after
    it with no other step. Variables already in the environment win; NEWSROOM_ENV_FILE names
    another file, or none when empty. Only manage.py reads it (never wsgi, asgi or the tests)."""
    name = os.environ.get("NEWSROOM_ENV_FILE", str(Path(__file__).resolve().parent / ".env"))
    if name and Path(name).is_file():
        from dotenv import load_dotenv

        load_dotenv(name, override=False)


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    load_env_file()
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
