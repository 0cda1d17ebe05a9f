"""Rich text POSTed straight to the server, bypassing the editor: cleaned on save and on render."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "javascript_link": '<p><a href="javascript:alert(1)">x</a></p>',
    "javascript_link_with_tab_entity": '<p><a href="jav&#x09;ascript:alert(1)">x</a></p>',
    "data_url": '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a></p>',
    "img_onerror": '<p><img src=x onerror="alert(1)"></p>',
    "svg_script": "<svg><script>alert(1)</script></svg>",
    "mxss_math_style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "offsite_image": '<p><img src="//evil.example/pixel.gif"></p>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style_element": "<style>body{display:none}</style><p>ok</p>",
}


def dangerous(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [tag.name for tag in soup.find_all(["script", "style", "svg", "math", "iframe", "img", "object", "embed"])]
    for tag in soup.find_all(True):
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name.startswith("on")]
        href = str(tag.get("href", "")).replace("\t", "").strip().lower()
        if href.startswith(("javascript:", "data:", "vbscript:")):
            found.append(f"{tag.name}[href={href[:20]}]")
    return found


@pytest.mark.parametrize("attack", PAYLOADS)
def test_rich_text_posted_past_the_editor_is_cleaned_on_save(client, editor, attack):
    article = make_article("Story", status=Article.Status.DRAFT, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, body=PAYLOADS[attack]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert dangerous(article.body) == [], article.body


@pytest.mark.parametrize("attack", PAYLOADS)
def test_rich_text_written_behind_the_apps_back_is_cleaned_on_render(client, attack):
    article = make_article("Story", authors=[make_author()])
    Article.objects.filter(pk=article.pk).update(body=PAYLOADS[attack])  # a direct database write
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert dangerous(str(page.select_one(".story__body"))) == []


@pytest.mark.parametrize("attack", PAYLOADS)
def test_an_authors_bio_is_cleaned_on_save_and_render(client, attack):
    author = make_author("Asha Verma", bio=PAYLOADS[attack])
    assert dangerous(author.bio) == []
    make_article("Story", authors=[author])
    page = BeautifulSoup(client.get(author.get_absolute_url()).content, "html.parser")
    assert dangerous(str(page.select_one(".author-header"))) == []


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("example.org/x", "https://example.org/x"),
        ("www.example.org", "https://www.example.org"),
        ("example.org/x?q=1#part", "https://example.org/x?q=1#part"),
        ("nyheter.ÆØÅ.no/sak", "https://nyheter.ÆØÅ.no/sak"),
        ("desk@example.org", "mailto:desk@example.org"),
        ("https://example.org/ø", "https://example.org/ø"),
        ("/about/", "/about/"),
        ("#correction", "#correction"),
        ("../../", "../../"),  # relative addresses mean what they say
        ("other-story/", "other-story/"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
    ],
)
def test_a_link_typed_without_a_scheme_is_completed_or_dropped_in_every_rich_text(client, editor, typed, stored):
    """The editor's link dialog takes what is typed; the one cleaner completes an address typed
    without its scheme, so the body, bios and site pages never link "example.org/x" relative to
    the page it sits on; relative addresses are kept, unsafe schemes dropped."""
    article = make_article("Links", status=Article.Status.DRAFT, authors=[make_author()])
    client.force_login(editor)
    body = f'<p>See <a href="{typed}">the report</a>.</p>'
    assert (
        client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, body=body)).status_code == 302
    )
    article.refresh_from_db()
    link = BeautifulSoup(article.body, "html.parser").a
    assert link.get_text() == "the report"
    assert link.get("href") == stored
    bio = BeautifulSoup(make_author("Bio Links", bio=body).bio, "html.parser").a
    assert bio.get("href") == stored
