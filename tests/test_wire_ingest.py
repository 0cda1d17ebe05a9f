"""Wire copy that arrives by itself: the watched folder (import_ninjs --watch) and the push
endpoint (/wire/push/), with the sources and tokens editors manage in the admin."""

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from articles.models import Article
from tests.factories import make_author, make_staff
from wire.ingest import Watcher, import_stream
from wire.models import Source

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "ninjs" / "examples"
SIMPLE = EXAMPLES / "v3.0-ninjsExSimpleText_3.json"  # a byline of two people, no credit
SIMPLE_HEADLINE = "Captain of wrecked cruise ship on trial in Italy"
NTB = EXAMPLES / "v2.1-ntb_text.json"
INVALID = sorted((ROOT / "tests" / "ninjs" / "invalid").glob("*.json"))


def simple(**changes) -> bytes:
    return json.dumps({**json.loads(SIMPLE.read_text()), **changes}).encode()


def another(number: int) -> bytes:
    return simple(uri=f"urn:example:{number}", headlines=[{"role": "main", "value": f"Story {number}"}])


def package_zip() -> bytes:
    """An AP-shaped package (a composite with its headline and body, and its main picture beside it)."""
    picture = json.loads((EXAMPLES / "v2.1-ap_image.json").read_text())
    picture = {"name": "mainpic", **picture, "renditions": [{**picture["renditions"][0], "href": "main.jpg"}]}
    package = {
        "uri": "urn:agency:package:bridge",
        "type": "composite",
        "version": "1",
        "headlines": [{"role": "main", "value": "Bridge reopens after repairs"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>The bridge reopened on Monday.</p>"}],
        "associations": [picture],
    }
    jpeg = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 90, 40)).save(jpeg, "JPEG")
    return zipped({"bridge/package.json": json.dumps(package).encode(), "bridge/main.jpg": jpeg.getvalue()})


def zipped(members: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for name, data in members.items():
            zip_file.writestr(name, data)
    return archive.getvalue()


# The watched folder.


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def watch(folder: Path, rounds: int = 2, **options) -> list[str]:
    """What the watcher prints in `rounds` looks at the folder (a new file waits one round)."""
    lines: list[str] = []
    Watcher(folder, interval=0, write=lambda outcome: lines.append(str(outcome)), **options).run(rounds=rounds)
    return lines


def test_a_file_dropped_in_the_folder_becomes_a_draft_and_moves_to_done_with_its_log(inbox):
    shutil.copy(SIMPLE, inbox / "story.json")
    lines = watch(inbox)
    assert lines == [f"imported: story.json: draft “{SIMPLE_HEADLINE}”"]
    assert Article.objects.get(headline=SIMPLE_HEADLINE).status == Article.Status.DRAFT
    assert sorted(os.listdir(inbox)) == ["done", "failed"]
    assert (inbox / "done" / "story.json").read_bytes() == SIMPLE.read_bytes()
    assert (inbox / "done" / "story.json.log").read_text() == f"{lines[0]}\n"


def test_a_file_still_being_written_waits_until_it_has_stopped_changing(inbox):
    (inbox / "story.json").write_bytes(simple()[:100])
    watcher = Watcher(inbox, interval=0, write=lambda outcome: None)
    watcher.run(rounds=1)
    (inbox / "story.json").write_bytes(simple())  # the copy goes on between two looks
    watcher.run(rounds=1)
    assert not Article.objects.exists() and (inbox / "story.json").exists()
    watcher.run(rounds=1)
    assert Article.objects.get().headline == SIMPLE_HEADLINE


def test_files_named_as_unfinished_are_left_alone(inbox):
    for name in ("story.json.part", ".story.json", "story.tmp"):
        shutil.copy(SIMPLE, inbox / name)
    assert watch(inbox, rounds=3) == []
    assert not Article.objects.exists()
    assert sorted(os.listdir(inbox)) == [".story.json", "done", "failed", "story.json.part", "story.tmp"]


def test_a_bad_file_goes_to_failed_with_the_reason_and_the_others_are_imported(inbox):
    (inbox / "broken.json").write_text('{"uri": "urn:example:broken", ')
    shutil.copy(NTB, inbox / "ntb.json")
    lines = watch(inbox)
    assert len(lines) == 2 and Article.objects.count() == 1
    log = (inbox / "failed" / "broken.json.log").read_text()
    assert log.startswith("rejected: broken.json: it is not valid JSON")
    assert (inbox / "done" / "ntb.json").exists()


def test_a_zip_dropped_in_imports_each_story_and_logs_each_line(inbox):
    (inbox / "agency.zip").write_bytes(zipped({"a/simple.json": SIMPLE.read_bytes(), "a/ntb.json": NTB.read_bytes()}))
    watch(inbox)
    log = (inbox / "done" / "agency.zip.log").read_text().splitlines()
    assert [line.split(": ")[:2] for line in log] == [
        ["imported", "agency.zip/a/simple.json"],
        ["imported", "agency.zip/a/ntb.json"],
    ]


def test_a_package_dropped_in_as_a_zip_gets_its_lead_image(inbox):
    (inbox / "bridge.zip").write_bytes(package_zip())
    watch(inbox)
    assert Article.objects.get(headline="Bridge reopens after repairs").lead_image.alt_text == "Turkey Islamic State"


def test_a_file_of_a_name_already_dealt_with_keeps_both_logs(inbox):
    shutil.copy(SIMPLE, inbox / "story.json")
    watch(inbox)
    (inbox / "story.json").write_bytes(another(2))
    watch(inbox)
    assert sorted(os.listdir(inbox / "done")) == ["story-2.json", "story-2.json.log", "story.json", "story.json.log"]


def test_a_watcher_restarted_takes_up_what_is_still_in_the_folder(inbox):
    for number in range(3):
        (inbox / f"story-{number}.json").write_bytes(another(number))
    first = Watcher(inbox, interval=0)
    first.write = lambda outcome: first.stop.set()  # stopped (as by SIGTERM) during the first file
    first.run(rounds=2)
    assert first.files == 1 and len(list(inbox.glob("*.json"))) == 2
    lines = watch(inbox)
    assert len(lines) == 2 and all(line.startswith("imported:") for line in lines)
    assert Article.objects.count() == 3 and len(list((inbox / "done").glob("*.json"))) == 3


def test_a_file_imported_before_a_crash_but_not_moved_is_unchanged_the_second_time(inbox):
    shutil.copy(SIMPLE, inbox / "story.json")
    with (inbox / "story.json").open("rb") as stream:  # the watcher imported it, then died
        import_stream("story.json", stream, SIMPLE.stat().st_size)
    lines = watch(inbox)
    assert lines == [f"unchanged: story.json: already draft as “{SIMPLE_HEADLINE}”: nothing changed"]
    assert Article.objects.count() == 1


def test_a_watcher_for_a_source_gives_its_credit_and_names_it(inbox):
    agency = Source.objects.create(name="Wire Agency", default_credit=make_author("AP", kind="organisation"))
    shutil.copy(SIMPLE, inbox / "story.json")
    (line,) = watch(inbox, source=agency)
    assert line.endswith("; from Wire Agency")
    assert Article.objects.get().credit.name == "AP"


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A database of the subprocesses' own (they cannot see the test database): a SQLite file."""
    database = tmp_path_factory.mktemp("watch") / "watch.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "NEWSROOM_ENV_FILE": ""}
    for command in (["migrate", "--no-input"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    return database


@pytest.fixture
def sqlite_project(migrated_sqlite, tmp_path) -> dict[str, str]:
    """The environment of a manage.py run on a fresh copy of that database."""
    database = shutil.copy(migrated_sqlite, tmp_path / "watch.sqlite3")
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "NEWSROOM_ENV_FILE": ""}


def wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_watch_command_stops_cleanly_on_a_signal_and_resumes_where_it_stopped(sqlite_project, inbox, stop):
    command = [sys.executable, "manage.py", "import_ninjs", "--watch", str(inbox), "--interval", "0.1"]

    def start() -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=sqlite_project, stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().startswith(f"Watching {inbox} every 0.1 s")
        return process

    watcher = start()
    shutil.copy(SIMPLE, inbox / "story.json")
    wait_for(inbox / "done" / "story.json")
    watcher.send_signal(stop)
    output, _ = watcher.communicate(timeout=30)
    assert watcher.returncode == 0
    assert f"imported: story.json: draft “{SIMPLE_HEADLINE}”" in output and "Stopped. 1 file(s): 1 imported." in output
    (inbox / "bad.json").write_text("[]")  # arrives while nothing watches
    watcher = start()
    wait_for(inbox / "failed" / "bad.json.log")
    watcher.terminate()
    output, _ = watcher.communicate(timeout=30)
    assert watcher.returncode == 0 and "Stopped. 1 file(s): 1 rejected." in output
    assert (inbox / "failed" / "bad.json.log").read_text().startswith("rejected: bad.json: it is not a ninjs object")


def test_the_command_without_watch_still_exits_2_when_a_file_is_rejected(tmp_path):
    from django.core.management import CommandError, call_command

    (tmp_path / "bad.json").write_text("[]")
    with pytest.raises(CommandError) as refused:
        call_command("import_ninjs", str(tmp_path / "bad.json"), stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2


# The push endpoint.

PUSH = "/wire/push/"


@pytest.fixture
def agency() -> tuple[Source, str]:
    source = Source(name="Wire Agency", default_credit=make_author("AP", kind="organisation"))
    token = source.new_token()
    source.save()
    return source, token


def push(client, token: str | None, body: bytes, content_type: str = "application/json", **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(PUSH, body, content_type=content_type, **headers, **extra)


def test_a_pushed_story_is_created_as_a_draft_with_the_sources_credit(client, agency):
    source, token = agency
    response = push(client, token, SIMPLE.read_bytes())
    assert response.status_code == 201
    assert response.json()["status"] == "created"
    assert response.json()["message"] == f"imported: push.json: draft “{SIMPLE_HEADLINE}”; from Wire Agency"
    article = Article.objects.get(pk=response.json()["results"][0]["article"])
    assert (article.status, article.credit) == (Article.Status.DRAFT, source.default_credit)


def test_a_story_that_names_its_credit_keeps_it(client, agency):
    _, token = agency
    push(client, token, NTB.read_bytes())
    assert Article.objects.get().credit.name != "AP"


def test_the_source_shows_when_it_last_pushed(client, agency):
    source, token = agency
    push(client, token, SIMPLE.read_bytes())
    source.refresh_from_db()
    assert source.last_used_at is not None


def test_pushing_the_same_version_again_is_accepted_and_changes_nothing(client, agency):
    _, token = agency
    push(client, token, SIMPLE.read_bytes())
    response = push(client, token, SIMPLE.read_bytes())
    assert response.status_code == 202
    assert response.json()["results"][0]["status"] == "unchanged"


def test_a_new_version_of_an_untouched_draft_updates_it(client, agency):
    _, token = agency
    push(client, token, simple(version="1"))
    response = push(client, token, simple(version="2", headlines=[{"role": "main", "value": "Captain on trial"}]))
    assert response.status_code == 200 and response.json()["status"] == "updated"
    assert Article.objects.get().headline == "Captain on trial"


def test_a_stale_version_is_refused_with_the_reason(client, agency):
    _, token = agency
    push(client, token, simple(version="2"))
    response = push(client, token, simple(version="1", headlines=[{"role": "main", "value": "Old news"}]))
    assert response.status_code == 422
    assert "older than version 2 we hold: refused as stale" in response.json()["message"]
    assert Article.objects.get().headline == SIMPLE_HEADLINE


def test_a_document_that_is_not_ninjs_is_refused_with_the_commands_reason(client, agency):
    _, token = agency
    response = push(client, token, b"[]")
    assert response.status_code == 422
    assert response.json() == {
        "status": "rejected",
        "message": "rejected: push.json: it is not a ninjs object (the top level must be a JSON object); from Wire Agency",
        "results": [
            {
                "name": "push.json",
                "status": "rejected",
                "message": "it is not a ninjs object (the top level must be a JSON object); from Wire Agency",
                "article": None,
            }
        ],
    }


def test_a_zip_push_imports_each_story(client, agency):
    _, token = agency
    body = zipped({"simple.json": SIMPLE.read_bytes(), "ntb.json": NTB.read_bytes()})
    response = push(client, token, body, content_type="application/zip")
    assert response.status_code == 201
    assert response.json()["message"] == "2 file(s): 2 imported."
    assert [result["name"] for result in response.json()["results"]] == ["push.zip/simple.json", "push.zip/ntb.json"]


def test_a_pushed_package_gets_its_lead_image_from_the_zip(client, agency):
    _, token = agency
    response = push(client, token, package_zip(), content_type="application/zip")
    assert response.status_code == 201
    assert "lead image “Turkey Islamic State”" in response.json()["message"]


def test_a_zip_with_one_bad_story_is_refused_and_says_which(client, agency):
    _, token = agency
    body = zipped({"simple.json": SIMPLE.read_bytes(), "bad.json": b"{"})
    response = push(client, token, body, content_type="application/zip")
    assert response.status_code == 422
    assert [result["status"] for result in response.json()["results"]] == ["imported", "rejected"]


@pytest.mark.parametrize("token", [None, "", "not-a-token", "x" * 500])
def test_a_push_without_a_valid_token_is_refused(client, agency, token):
    response = push(client, token, SIMPLE.read_bytes())
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Article.objects.exists()


def test_an_inactive_sources_token_gets_the_same_answer_as_an_unknown_one(client, agency):
    source, token = agency
    unknown = push(client, "a" * 43, SIMPLE.read_bytes())
    Source.objects.filter(pk=source.pk).update(is_active=False)
    inactive = push(client, token, SIMPLE.read_bytes())
    assert (inactive.status_code, inactive.content) == (unknown.status_code, unknown.content)


def test_only_the_token_itself_is_stored(agency):
    source, token = agency
    stored = Source.objects.filter(pk=source.pk).values().get()
    assert token not in json.dumps(stored, default=str)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.text(max_size=300).filter(lambda text: "\n" not in text and "\r" not in text))
def test_any_authorization_header_is_refused_as_401_not_an_error(client, header):
    response = client.post(PUSH, b"{}", content_type="application/json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_push_of_another_type_is_refused_415(client, agency):
    _, token = agency
    response = push(client, token, SIMPLE.read_bytes(), content_type="text/plain")
    assert response.status_code == 415


def test_a_push_larger_than_the_limit_is_refused_413(client, agency, settings):
    _, token = agency
    settings.WIRE_PUSH_MAX_BYTES = 1_000
    response = push(client, token, zipped({"simple.json": SIMPLE.read_bytes()}) + b"\0" * 1_000, "application/zip")
    assert response.status_code == 413
    assert response.json()["message"] == "it is larger than 1,000 bytes"


def test_a_document_larger_than_the_importers_limit_is_refused_413_with_its_message(client, agency):
    _, token = agency
    response = push(client, token, simple(body_text="x" * 10_000_001))
    assert (response.status_code, response.json()["message"]) == (413, "it is larger than 10 MB")


def test_the_push_address_takes_only_post_and_is_never_cached(client, agency):
    _, token = agency
    assert client.get(PUSH, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 405
    response = push(client, token, SIMPLE.read_bytes())
    assert "no-store" in response["Cache-Control"]


def test_a_push_needs_no_csrf_token_but_the_desk_still_does(agency, editor):
    from django.test import Client

    _, token = agency
    strict = Client(enforce_csrf_checks=True)
    assert push(strict, token, SIMPLE.read_bytes()).status_code == 201
    strict.force_login(editor)
    assert strict.post("/admin/wire/source/add/", {"name": "Forged"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_package_larger_than_djangos_form_limit_is_pushed_over_http(live_server, settings):
    source = Source(name="Wire Agency")
    token = source.new_token()
    source.save()
    picture = os.urandom(3 * 1024 * 1024)  # beside the story, as a package carries it
    body = zipped({"story.json": SIMPLE.read_bytes(), "picture.jpg": picture})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = urllib.request.Request(
        f"{live_server.url}{PUSH}",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/zip"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert (response.status, json.load(response)["status"]) == (201, "created")


@pytest.mark.django_db(transaction=True)
def test_a_push_over_http_with_a_bad_token_is_refused(live_server):
    request = urllib.request.Request(
        f"{live_server.url}{PUSH}",
        data=SIMPLE.read_bytes(),
        headers={"Authorization": "Bearer nope", "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401


# Sources in the admin.


def test_an_editor_adds_a_source_and_sees_its_token_once(client, editor):
    client.force_login(editor)
    response = client.post("/admin/wire/source/add/", {"name": "Wire Agency", "is_active": "on"})
    token = response.context["token"]
    assert response.status_code == 200 and token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    source = Source.objects.get(name="Wire Agency")
    page = client.get(f"/admin/wire/source/{source.pk}/change/").content.decode()
    assert token not in page and f"{token[:8]}…" in page
    assert push(client, token, SIMPLE.read_bytes()).status_code == 201


def test_regenerating_a_token_shows_the_new_one_and_retires_the_old(client, editor, agency):
    source, old = agency
    client.force_login(editor)
    response = client.post(f"/admin/wire/source/{source.pk}/regenerate-token/")
    new = response.context["token"]
    assert new != old and new in response.content.decode()
    assert push(client, old, SIMPLE.read_bytes()).status_code == 401
    assert push(client, new, SIMPLE.read_bytes()).status_code == 201


def test_regenerating_a_token_takes_a_post(client, editor, agency):
    source, _ = agency
    client.force_login(editor)
    assert client.get(f"/admin/wire/source/{source.pk}/regenerate-token/").status_code == 405


def test_writers_cannot_see_sources_or_regenerate_a_token(client, writer, agency):
    source, token = agency
    client.force_login(writer)
    assert client.get("/admin/wire/source/").status_code == 403
    assert client.post(f"/admin/wire/source/{source.pk}/regenerate-token/").status_code == 403
    assert push(client, token, SIMPLE.read_bytes()).status_code == 201


def test_the_default_credit_offers_only_organisations(client, editor):
    make_author("Asha Verma")
    make_author("AP", kind="organisation")
    client.force_login(editor)
    field = client.get("/admin/wire/source/add/").context["adminform"].form.fields["default_credit"]
    assert [author.name for author in field.queryset] == ["AP"]


def test_editors_may_manage_sources(db):
    editor = make_staff("editor", "Editors")
    assert all(editor.has_perm(f"wire.{action}_source") for action in ("add", "change", "view", "delete"))
    assert not Group.objects.get(name="Writers").permissions.filter(content_type__app_label="wire").exists()
