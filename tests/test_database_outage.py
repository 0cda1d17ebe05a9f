"""The database out of reach: pages answer 503 with Retry-After, never 500, and recover by themselves.
An error in a query or the schema stays a 500, so a bug is not mistaken for an outage."""

import socket
import sqlite3

import psycopg
import pytest
from django.db import DatabaseError, OperationalError, ProgrammingError, connection

from newsroom.lib.security import database_unavailable
from tests.factories import make_article, make_author


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def error_of(action):
    try:
        action()
    except Exception as error:  # the driver's own error is what we want
        return error
    raise AssertionError("expected the driver to fail")


def seen_through_django(cause: Exception, django_error: type[DatabaseError]) -> bool:
    """What the 500 handler decides about `cause`, raised the way Django wraps a driver's error."""
    try:
        raise django_error(*cause.args) from cause
    except django_error:
        return database_unavailable()


@pytest.mark.parametrize(
    "cause, django_error, unavailable",
    [
        (
            error_of(lambda: psycopg.connect(f"host=127.0.0.1 port={closed_port()} connect_timeout=2")),
            OperationalError,
            True,
        ),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), OperationalError, True),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), OperationalError, True),
        (psycopg.errors.TooManyConnections("sorry, too many clients already"), OperationalError, True),
        (psycopg.errors.UndefinedTable('relation "articles_article" does not exist'), ProgrammingError, False),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), OperationalError, False),
        (error_of(lambda: sqlite3.connect("/no-such-folder/newsroom.sqlite3")), OperationalError, True),
        (error_of(lambda: sqlite3.connect(":memory:").execute("SELECT * FROM missing")), OperationalError, False),
    ],
    ids=[
        "refused",
        "admin-shutdown",
        "starting-up",
        "too-many-clients",
        "missing-relation",
        "statement-timeout",
        "sqlite-cannot-open",
        "sqlite-missing-table",
    ],  # fmt: skip
)
def test_the_500_handler_tells_an_outage_from_a_bug(cause, django_error, unavailable):
    assert seen_through_django(cause, django_error) is unavailable


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_while_postgresql_is_out_of_reach_and_recover_by_themselves(client):
    make_article("Ferry timetable changes", authors=[make_author()])
    client.raise_request_exception = False
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port())
    try:
        down = client.get("/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert down.status_code == 503
    assert down["Retry-After"] == "10" and down["Cache-Control"] == "no-store"
    assert "Back in a moment" in down.content.decode()
    back = client.get("/")
    assert back.status_code == 200 and "Ferry timetable changes" in back.content.decode()


@pytest.mark.django_db
def test_a_missing_table_is_a_500_not_an_outage(client):
    make_article("Ferry timetable changes", authors=[make_author()])
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        # Undone with the test's transaction.
        cursor.execute("ALTER TABLE articles_article RENAME TO articles_article_gone")
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
