"""What a test needs from outside (PostgreSQL, Redis, Chromium): skip without it, or fail in the CI
run that promises every service (NEWSROOM_REQUIRE_SERVICES=1)."""

import os

import pytest

REQUIRE_SERVICES = os.environ.get("NEWSROOM_REQUIRE_SERVICES", "") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_SERVICES=1, so this fails instead of skipping)")
    pytest.skip(reason)
