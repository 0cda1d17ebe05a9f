"""The wire desk: embargoes, kills and withholds, and agency updates of stories the desk has
worked on. Each test reads the agency's files as the desk gets them (the NTB example) and looks
at what an editor and a reader see."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import AgencyUpdate, Article, ArticleTransition, Section
from tests.factories import form_data
from wire.importer import import_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def domestic_section():
    """The section the NTB example's first subject names: the importer files its stories there."""
    return Section.objects.create(name="Innenriks", slug="innenriks")


EXAMPLE = Path(__file__).resolve().parent / "ninjs" / "examples" / "v2.1-ntb_text.json"
NOW = "2026-06-01 09:00:00+00:00"


BODY = [{"role": "text", "contenttype": "text/plain", "value": "Google har kjøpt en tomt på 800 mål i Skien."}]


def ninjs(**changes) -> bytes:
    """The NTB example (which has a standfirst and no body), with a body and `changes`."""
    return json.dumps({**json.loads(EXAMPLE.read_text()), "bodies": BODY, **changes}).encode()


def arrive(user, **changes):
    return import_document("ntb.json", ninjs(**changes), user=user)


def desk_page(client, article: Article) -> str:
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def transition(client, article: Article, name: str, **fields):
    article = Article.objects.get(pk=article.pk)
    # Confirmed, as from the confirmation page a publish or a schedule asks on first.
    data = form_data(article, credit=article.credit_id or "", _transition=name, _confirmed="1", **fields)
    return client.post(f"/admin/articles/article/{article.pk}/change/", data, follow=True)


# Embargo


def test_an_embargoed_story_waits_for_its_time_and_is_scheduled_for_it_in_one_click(client, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    outcome = arrive(editor, embargoed="2026-06-01T11:00:00+00:00")
    article = outcome.article
    assert outcome.status == "imported" and article.embargoed_until.isoformat() == "2026-06-01T11:00:00+00:00"
    client.force_login(editor)
    assert "Embargoed until 11:00 UTC (in 2 h)" in client.get("/admin/articles/article/").content.decode()
    page = desk_page(client, article)
    assert "Embargoed until 11:00 UTC (in 2 h)" in page and "Publish now" not in page

    with pytest.raises(workflow.WorkflowError, match="Embargoed until 11:00 UTC"):
        workflow.publish(article, user=editor)
    with pytest.raises(workflow.WorkflowError, match="schedule it for then or later"):
        workflow.schedule(article, user=editor, publish_at=timezone.now() + timedelta(hours=1))

    response = transition(client, article, "schedule_at_embargo")
    assert "Schedule at the embargo: done" in response.content.decode()
    article.refresh_from_db()
    assert article.is_scheduled and article.published_at == article.embargoed_until

    client.logout()
    assert article.headline not in client.get("/").content.decode()
    time_machine.move_to("2026-06-01 11:00:01+00:00", tick=False)
    assert article.headline in client.get("/").content.decode()


def test_an_agency_update_that_moves_the_embargo_later_keeps_a_scheduled_story_hidden(client, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    article = arrive(editor, embargoed="2026-06-01T11:00:00+00:00").article
    workflow.schedule_at_embargo(article, user=editor)
    outcome = arrive(editor, version="7", embargoed="2026-06-01T15:00:00+00:00")
    assert "Embargoed until 15:00 UTC" in outcome.message
    time_machine.move_to("2026-06-01 12:00:00+00:00", tick=False)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.headline not in client.get("/").content.decode()
    assert client.get(Article.objects.get(pk=article.pk).get_absolute_url()).status_code == 404
    time_machine.move_to("2026-06-01 15:00:01+00:00", tick=False)
    assert Article.objects.published().filter(pk=article.pk).exists()


# Kill and withhold


def test_a_killed_draft_cannot_be_published_until_an_editor_clears_the_hold(client, editor):
    article = arrive(editor).article
    outcome = arrive(editor, version="7", pubstatus="canceled", ednote="Kill: wrong figures, do not use.")
    assert outcome.status == "held"
    assert (
        outcome.message
        == "Killed by the agency: “Google har kjøpt giganttomt i Skien” (Kill: wrong figures, do not use.)."
    )
    log = ArticleTransition.objects.get(article=article, action=ArticleTransition.Action.WIRE_HOLD)
    assert log.comment == "Killed by the agency: Kill: wrong figures, do not use."

    client.force_login(editor)
    page = desk_page(client, article)
    assert "Killed by the agency:" in page and "Kill: wrong figures, do not use." in page
    assert "Publish now" not in page and ">Schedule<" not in page, "no button the server would refuse"
    with pytest.raises(workflow.WorkflowError, match="an editor must clear the hold first"):
        workflow.publish(Article.objects.get(pk=article.pk), user=editor)

    response = transition(client, article, "clear_hold", **{"action-comment": "NTB lifted the kill at 10:12."})
    assert "Agency hold cleared" in response.content.decode() or response.status_code == 200
    article.refresh_from_db()
    assert article.wire_hold == "" and workflow.publish(article, user=editor).is_live


def test_a_killed_live_story_is_never_changed_silently_and_is_taken_down_in_one_click(client, editor):
    article = arrive(editor).article
    workflow.publish(article, user=editor)
    body = Article.objects.get(pk=article.pk).body
    outcome = arrive(editor, version="7", pubstatus="canceled", ednote="Legal kill.")
    assert outcome.status == "held" and "It is live: take it down at the desk." in outcome.message
    article.refresh_from_db()
    assert article.is_live and article.body == body, "still live, not a word changed until an editor acts"

    client.force_login(editor)
    assert "⚠ Killed or withheld while live (1)" in client.get("/admin/").content.decode()
    page = desk_page(client, article)
    assert "Killed by the agency, and the story is live" in page and "Take down (agency kill)" in page
    transition(client, article, "take_down")
    article.refresh_from_db()
    assert not article.is_live
    unpublished = ArticleTransition.objects.filter(article=article, action=ArticleTransition.Action.UNPUBLISH).get()
    assert unpublished.comment == "Killed by the agency: Legal kill."
    client.logout()
    assert client.get(f"/{article.published_at:%Y/%m/%d}/{article.slug}/").status_code == 404


def test_a_kill_for_a_story_we_never_had_is_skipped(editor):
    outcome = arrive(editor, pubstatus="canceled")
    assert outcome.status == "skipped" and not Article.objects.exists()


# Agency updates


def test_an_agency_update_never_overwrites_the_desks_work_and_is_applied_field_by_field(client, editor):
    article = arrive(editor).article
    client.force_login(editor)
    edited = form_data(article, credit=article.credit_id, headline="Google buys a giant site in Skien")
    assert client.post(f"/admin/articles/article/{article.pk}/change/", edited).status_code == 302

    body = [{"role": "text", "contenttype": "text/plain", "value": "Google bekrefter kjøpet. Nye detaljer."}]
    outcome = arrive(
        editor, version="7", headlines=[{"role": "main", "value": "Google bekrefter tomtekjøp"}], bodies=body
    )
    assert outcome.status == "pending"
    article.refresh_from_db()
    assert article.headline == "Google buys a giant site in Skien", "the desk's headline stands"
    update = AgencyUpdate.objects.get(article=article, status="pending")

    page = desk_page(client, article)
    assert "The agency sent version 7" in page
    review = client.get(f"/admin/articles/article/{article.pk}/agency-update/{update.pk}/").content.decode()
    assert "<del>buys a giant site in Skien</del>" in review and "<ins>bekrefter tomtekjøp</ins>" in review

    response = client.post(
        f"/admin/articles/article/{article.pk}/agency-update/{update.pk}/", {"field": ["body"], "_apply_chosen": "1"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Google buys a giant site in Skien"
    assert "Nye detaljer." in article.body
    update.refresh_from_db()
    assert update.status == "applied" and update.decided_by == editor
    log = ArticleTransition.objects.get(article=article, action=ArticleTransition.Action.AGENCY_UPDATE)
    assert log.comment == "Agency version 7: took body"

    assert arrive(editor, version="7").status == "unchanged"
    stale = arrive(editor, version="5")
    assert stale.status == "rejected" and "older than version 7 we hold: refused as stale" in stale.message


def test_an_agency_update_can_be_dismissed_and_a_newer_one_supersedes_a_waiting_one(client, editor):
    article = arrive(editor).article
    workflow.submit(article, user=editor)
    assert arrive(editor, version="7", headlines=[{"value": "Versjon 7"}]).status == "pending"
    assert arrive(editor, version="8", headlines=[{"value": "Versjon 8"}]).status == "pending"
    assert list(AgencyUpdate.objects.filter(article=article).values_list("version", "status")) == [
        ("8", "pending"),
        ("7", "dismissed"),
    ]
    client.force_login(editor)
    update = AgencyUpdate.objects.get(status="pending")
    client.post(f"/admin/articles/article/{article.pk}/agency-update/{update.pk}/", {"_dismiss": "1"})
    assert AgencyUpdate.objects.get(pk=update.pk).status == "dismissed"
    assert Article.objects.get(pk=article.pk).headline == "Google har kjøpt giganttomt i Skien"


def test_a_story_nobody_touched_is_still_updated_in_place(editor):
    article = arrive(editor).article
    outcome = arrive(editor, version="7", headlines=[{"value": "Versjon 7"}])
    assert outcome.status == "updated"
    assert Article.objects.get(pk=article.pk).headline == "Versjon 7"
    assert not AgencyUpdate.objects.exists()


def test_writers_see_agency_updates_but_only_editors_decide(client, writer, editor):
    article = arrive(editor).article
    workflow.submit(article, user=editor)
    arrive(editor, version="7", headlines=[{"value": "Versjon 7"}])
    update = AgencyUpdate.objects.get()
    client.force_login(writer)
    url = f"/admin/articles/article/{article.pk}/agency-update/{update.pk}/"
    assert client.post(url, {"_apply_all": "1"}).status_code in (403, 404)
    assert AgencyUpdate.objects.get().status == "pending"
