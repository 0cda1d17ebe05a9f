"""Text in, everywhere: one normaliser for every text field of ours (newsroom.lib.text).

Line breaks become "\\n" before anything counts or compares them; a control character or a
lone surrogate in typed text is a form error naming it, and nothing is saved. The structural
tests walk every model field, admin form and form of ours, so the next text field is held to
the same rule by construction."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from taggit.models import Tag

from articles.models import Article, Correction
from authors.models import Author
from newsroom.lib.text import refuse_unusable_characters
from tests.factories import form_data, make_article, make_author

OUR_APPS = ["articles", "authors", "pictures", "desk", "fronts", "public", "wire", "demo"]
FORM_MODULES = ["articles.forms", "desk.forms", "pictures.forms", "wire.forms", "authors.admin"]

# Fields whose own validator already allows only a fixed alphabet, or that hold no typed text.
OWN_ALPHABET = (models.SlugField, models.EmailField)
NOT_TYPED = {("desk", "autosave"), ("desk", "presence")}

pytestmark = pytest.mark.django_db


def our_text_fields():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if (model._meta.app_label, model._meta.model_name) in NOT_TYPED:
                continue
            for field in model._meta.get_fields():
                text = isinstance(field, (models.CharField, models.TextField)) and not field.choices
                # Rich text is cleaned by newsroom.lib.html.clean, which removes them.
                if text and not isinstance(field, OWN_ALPHABET) and not hasattr(field, "sanitize"):
                    yield f"{model.__name__}.{field.name}", field


@pytest.mark.parametrize(("name", "field"), list(our_text_fields()), ids=lambda value: str(value))
def test_every_text_field_of_our_models_refuses_control_characters(name, field):
    assert refuse_unusable_characters in field.validators, f"{name} should be a newsroom.lib.fields Plain* field"


def our_form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


def plain_char_fields(form_fields):
    return [
        name
        for name, field in form_fields.items()
        if type(field) is forms.CharField  # a CharField that is not one of ours (subclasses have their own rules)
    ]


@pytest.mark.parametrize("form_class", list(our_form_classes()), ids=lambda cls: cls.__name__)
def test_every_form_of_ours_takes_text_through_the_normaliser(form_class):
    assert plain_char_fields(form_class.base_fields) == []


@pytest.mark.parametrize(
    "model_admin",
    [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in [*OUR_APPS, "taggit"]
    ],
    ids=lambda model_admin: type(model_admin).__name__,
)
def test_every_desk_admin_form_takes_text_through_the_normaliser(model_admin, editor):
    request = RequestFactory().get("/admin/")
    request.user = editor
    form = model_admin.get_form(request)()
    assert plain_char_fields(form.fields) == []


CONTROL = "Storm\x01 warning"
LONE_SURROGATE = "Storm \ud800warning"


def test_a_lone_surrogate_is_a_form_error_and_bytes_that_are_not_utf8_are_no_500(client, admin_user):
    """A lone surrogate cannot travel as UTF-8 (a form made in Python can hold one); bytes that
    are not UTF-8 arrive as U+FFFD."""
    from authors.admin import AuthorForm

    form = AuthorForm(data={"name": LONE_SURROGATE, "slug": "storm", "kind": "person"})
    assert "invisible control character (U+D800)" in str(form.errors["name"])
    author = make_author("Asha Verma")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/authors/author/{author.pk}/change/",
        f"name=Asha%ED%A0%80&slug={author.slug}&kind=person&is_active=on",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)


def test_line_breaks_typed_in_a_browser_are_kept_as_one_character_each(client, editor):
    """A browser counts "\\r\\n" as one character against maxlength and sends two."""
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    standfirst = ("x" * 99 + "\r\n") * 10  # 1,000 characters as the browser counts them
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", form_data(article, standfirst=standfirst.rstrip("\r\n"))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert "\r" not in article.standfirst
    assert article.standfirst == standfirst.replace("\r\n", "\n").rstrip("\n")


def post_bio(client, author, bio):
    data = {"name": author.name, "slug": author.slug, "kind": author.kind, "job_title": "Reporter", "is_active": "on"}
    return client.post(f"/admin/authors/author/{author.pk}/change/", {**data, "bio": bio})


@pytest.mark.parametrize("text", [CONTROL, "Storm\x7f warning", "Storm\x1b warning"])
def test_control_characters_in_an_author_bio_are_removed_as_in_every_rich_text(client, admin_user, text):
    """A bio is rich text, written in the body's editor: the one cleaner removes what no page or
    feed can carry, as it does in the body, and keeps the rest of what was typed."""
    author = make_author("Asha Verma", bio="Reports on weather.")
    client.force_login(admin_user)
    assert post_bio(client, author, f"<p>{text} &amp; rain</p>").status_code == 302
    author.refresh_from_db()
    assert author.bio == "<p>Storm warning &amp; rain</p>"


def test_a_null_character_in_an_author_bio_is_a_form_error_and_nothing_is_saved(client, admin_user):
    author = make_author("Asha Verma", bio="Reports on weather.")
    client.force_login(admin_user)
    response = post_bio(client, author, "<p>Storm\x00warning</p>")
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    author.refresh_from_db()
    assert author.bio == "Reports on weather."


@pytest.mark.parametrize(
    ("field", "value"), [("image_caption", CONTROL), ("image_alt", CONTROL), ("image_credit", "A\x1fB")]
)
def test_control_characters_in_picture_text_are_a_form_error(client, editor, field, value):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **{field: value}))
    assert response.status_code == 200
    assert "invisible control character (U+" in response.content.decode()


def test_a_control_character_in_a_return_comment_is_refused_and_the_story_stays_in_review(client, editor, writer):
    article = make_article("Storm warning", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()])
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        form_data(article, _transition="return", **{"action-comment": "Fix the\x07 intro"}),
        follow=True,
    )
    assert "invisible control character (U+0007)" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_a_correction_with_a_control_character_is_refused(editor):
    correction = Correction(article=make_article("Storm warning", authors=[make_author()]), text="Wrong\x0bdate")
    with pytest.raises(Exception, match="control character"):
        correction.full_clean()


@pytest.mark.parametrize("name", ["!!!", "·–·", "Flood\x01"])
def test_a_tag_named_at_the_desk_needs_a_letter_or_digit_and_no_control_character(client, editor, name):
    client.force_login(editor)
    response = client.post("/admin/taggit/tag/add/", {"name": name, "slug": "x"})
    assert response.status_code == 200
    assert not Tag.objects.exists()


def test_an_absurdly_long_headline_is_a_form_error_not_a_500(client, editor):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, headline="é" * 100_000))
    assert response.status_code == 200
    assert "Ensure this value has at most 300 characters" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline == "Storm warning"


def test_a_non_ascii_headline_is_kept_exactly(client, editor):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    headline = "Kjøpte 中国 Straße — «ét» ١٢٣"
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, headline=headline))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).headline == headline
    assert Author.objects.count() == 1


def test_a_tag_whose_address_would_outgrow_its_column_is_a_form_error(client, editor):
    """60 × "㎞" is 60 characters, and "km" 60 times as an address: past taggit's 100 (a
    DataError on PostgreSQL)."""
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, new_tags="㎞" * 60))
    assert response.status_code == 200
    assert "would be too long" in response.content.decode()
    assert not Tag.objects.exists()
