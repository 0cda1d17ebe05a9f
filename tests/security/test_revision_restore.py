"""Restoring a revision restores everything it holds: text, byline order and roles, credit,
tags and the lead picture, and the compare page shows what a role change was."""

import pytest
from bs4 import BeautifulSoup
from reversion.models import Version

from articles.models import Article
from pictures.models import Picture
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db


def save(client, article: Article, **changes):
    article.refresh_from_db()
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def byline_rows(*rows) -> dict:
    data = {"bylines-TOTAL_FORMS": str(len(rows)), "bylines-INITIAL_FORMS": "0"}
    for index, (author, role) in enumerate(rows):
        data |= {
            f"bylines-{index}-author": author.pk,
            f"bylines-{index}-position": index,
            f"bylines-{index}-role": role,
        }
    return data


def test_restore_brings_back_byline_roles_and_order_credit_and_picture(client, editor):
    asha, noor, agency = (
        make_author("Asha Verma"),
        make_author("Noor Haddad"),
        make_author("Wire Agency", kind="organisation"),
    )
    picture = Picture.objects.create(file="x/original.jpg", width=10, height=10, alt_text="A flooded road")
    article = make_article("Floods close the road", status=Article.Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(lead_image=picture)
    client.force_login(editor)
    save(
        client,
        article,
        credit=agency.pk,
        image_alt="A flooded road",
        **byline_rows((asha, "Reporting"), (noor, "Additional reporting")),
    )
    save(
        client,
        article,
        image_alt="A flooded road",
        headline="Floods close the road for a week",
        **byline_rows((noor, "Photos"), (asha, "")),
    )
    Article.objects.filter(pk=article.pk).update(lead_image=None, credit=None)

    first = list(Version.objects.get_for_object(article))[-1]
    compared = client.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/",
        {"from": first.pk, "to": Version.objects.get_for_object(article)[0].pk},
    ).content.decode()
    shown = " ".join(BeautifulSoup(compared, "html.parser").get_text().split())
    assert "Noor Haddad (Photos), Asha Verma (Reporting), Noor Haddad (Additional reporting)" in shown

    response = client.post(f"/admin/articles/article/{article.pk}/revisions/{first.pk}/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Floods close the road"
    assert [(b.author.name, b.role) for b in article.bylines.select_related("author")] == [
        ("Asha Verma", "Reporting"),
        ("Noor Haddad", "Additional reporting"),
    ]
    assert article.credit == agency
    assert article.lead_image == picture
