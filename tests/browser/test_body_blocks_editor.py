"""The story body's blocks in the desk's editor, in a real browser: each inserted through its menu
item and dialog is stored exactly in the contract's form (Article.body, read from the database) and
shown again after a reload; a hostile paste says what it lost and stores nothing unsafe; a block
can be inserted with the keyboard alone; an autosaved draft with blocks is restored with them.

The picture chooser and upload endpoints (/admin/pictures/picture/chooser/ and upload/) are the
pictures app's; where this project does not route them yet, the page's requests to them are
answered here with the contract's JSON for real Picture rows, so the same tests run against the
real endpoints once they exist."""

import contextlib
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import BODY_EDITOR_EXTENSIONS, Article
from newsroom.lib.html import reading_time, word_count
from pictures.models import Picture
from tests.factories import log_in, make_article, make_author, make_picture, make_staff

PASSWORD = "correct horse battery"
BODY = "<p>The council met on Monday.</p>"
CHOOSER, UPLOAD = "/admin/pictures/picture/chooser/", "/admin/pictures/picture/upload/"
EDITOR = ".field-body .ProseMirror[contenteditable=true]"

pytestmark = pytest.mark.django_db(transaction=True)


def routed(path: str) -> bool:
    """Whether the project has a view at `path` (the admin's catch-all redirect to a change page,
    which takes "chooser/" for a picture's id, does not count)."""
    try:
        return resolve(path).url_name not in {None, "pictures_picture_change"}
    except Resolver404:
        return False


def as_contract(picture: Picture) -> dict:
    """A picture as the chooser endpoint answers it (the contract's P)."""
    return {
        "id": picture.pk,
        "alt": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
        "thumb": "/static/admin/img/icon-yes.svg",
        "width": picture.width,
        "height": picture.height,
    }


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 80, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def stand_in_endpoints(page, user) -> None:
    """Answer the picture endpoints as the contract says, when the project does not route them."""
    if not routed(CHOOSER):

        def chooser(route, request):
            query = parse_qs(urlsplit(request.url).query)
            pictures = Picture.objects.filter(uploaded_by=user).order_by("-pk")
            if "ids" in query:
                wanted = [int(value) for value in query["ids"][0].split(",")]
                found = {picture.pk: picture for picture in pictures.filter(pk__in=wanted)}
                results = [as_contract(found[pk]) for pk in wanted if pk in found]
                route.fulfill(json={"results": results})
            else:
                route.fulfill(json={"results": [as_contract(picture) for picture in pictures], "more": False})

        page.route(f"**{CHOOSER}**", chooser)
    if not routed(UPLOAD):

        def upload(route, request):
            data = request.post_data_buffer or b""
            if b"\xff\xd8" not in data:
                route.fulfill(status=400, json={"errors": {"file": ["Upload a valid image: this is not a picture."]}})
                return
            alt = re.search(rb'name="alt_text"\r\n\r\n(.*?)\r\n', data).group(1).decode()
            picture = make_picture(alt=alt)
            Picture.objects.filter(pk=picture.pk).update(uploaded_by=user)
            route.fulfill(status=201, json=as_contract(picture))

        page.route(f"**{UPLOAD}**", upload)


@pytest.fixture
def desk(live_server, browser):
    """A fresh browser window logged in at the desk; requests off loopback are refused and kept."""
    windows = []

    def open_as(username: str, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 1000})
        windows.append(context)
        page = context.new_page()
        page.off_site = []

        def refuse(route, request):
            page.off_site.append(request.url)
            route.abort()

        page.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), refuse)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        log_in(page, live_server.url, username, PASSWORD)
        return page

    yield open_as
    for context in windows:
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):
                page.goto("about:blank")
            page.wait_for_timeout(300)
        context.close()


@pytest.fixture
def writer():
    make_staff("editor", "Editors")
    return make_staff("writer", "Writers")


@pytest.fixture
def pictures(writer):
    made = []
    for number, alt in enumerate(["The bridge at dawn", "Cars on the bridge", "The old bridge in 1932"]):
        picture = make_picture(alt=alt, colour=(40 * number, 100, 150))
        Picture.objects.filter(pk=picture.pk).update(uploaded_by=writer, caption=f"Caption {number}", credit="Desk")
        made.append(Picture.objects.get(pk=picture.pk))
    return made


@pytest.fixture
def article(writer):
    return make_article(
        "Bridge reopens", status=Article.Status.DRAFT, body=BODY, created_by=writer, authors=[make_author()]
    )


def change_page(live_server, article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def at_the_end(page) -> None:
    page.locator(f"{EDITOR} > p").last.click()
    page.keyboard.press("End")


def menu(page, name: str):
    return page.locator(".field-body .prose-menubar").get_by_role("button", name=name, exact=True)


def dialog(page):
    return page.locator("dialog.desk-dialog[open]")


def test_each_block_inserted_from_its_menu_item_is_stored_in_the_contract_form_and_shown_again(
    live_server, desk, writer, pictures, article
):
    first, second, third = pictures
    page = desk("writer")
    stand_in_endpoints(page, writer)
    page.goto(change_page(live_server, article))
    at_the_end(page)

    menu(page, "Picture").click()
    dialog(page).get_by_role("button", name="Cars on the bridge").click()
    dialog(page).get_by_label("Size in the story").select_option("wide")
    dialog(page).get_by_role("button", name="Insert", exact=True).click()
    expect(page.locator(f"{EDITOR} .desk-block--picture")).to_contain_text("Cars on the bridge")

    menu(page, "Gallery").click()
    dialog(page).get_by_role("button", name="The old bridge in 1932").click()
    dialog(page).get_by_role("button", name="The bridge at dawn").click()
    dialog(page).get_by_role("button", name="Insert gallery (2 pictures)").click()

    menu(page, "Pull quote").click()
    dialog(page).get_by_label("Quote").fill("We will not close it again.")
    dialog(page).get_by_label("Attribution (optional)").fill("Asha Verma, mayor")
    dialog(page).get_by_role("button", name="Insert", exact=True).click()

    menu(page, "Fact box").click()
    dialog(page).get_by_label("Title").fill("The bridge")
    dialog(page).get_by_label("Facts (optional)").fill("Built in 1932.\n- 300 m long\n- Four lanes")
    dialog(page).get_by_role("button", name="Insert", exact=True).click()

    menu(page, "Table").click()
    dialog(page).get_by_label("Rows (under the header row)").fill("1")
    dialog(page).get_by_label("Columns").fill("2")
    dialog(page).get_by_role("button", name="Insert table").click()
    page.keyboard.type("Year")
    page.keyboard.press("Tab")
    page.keyboard.type("Cars a day")
    page.keyboard.press("Tab")
    page.keyboard.type("2024")
    page.keyboard.press("Tab")
    page.keyboard.type("41,000")
    # No merging of cells is offered: the stored table has no spans.
    assert (
        page.locator(".field-body .prose-menubar button:not(.hidden)", has_text=re.compile("[Mm]erge|[Ss]plit")).count()
        == 0
    )

    menu(page, "Embed").click()
    dialog(page).get_by_label("Address (URL)").fill("javascript:alert(1)")
    dialog(page).get_by_role("button", name="Embed", exact=True).click()
    expect(dialog(page)).to_contain_text("Only web addresses (https:// or http://) can be embedded.")
    dialog(page).get_by_label("Address (URL)").fill("https://example.org/" + "é" * 2_100)
    dialog(page).get_by_role("button", name="Embed", exact=True).click()
    expect(dialog(page)).to_contain_text("The address is too long (at most 2,000 characters).")
    dialog(page).get_by_label("Address (URL)").fill("https://example.org/a\u0007b")
    dialog(page).get_by_role("button", name="Embed", exact=True).click()
    expect(dialog(page)).to_contain_text("An address has no spaces or control characters in it.")
    dialog(page).get_by_label("Address (URL)").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    dialog(page).get_by_label("Text shown with it (optional)").fill("The bridge reopening, filmed")
    dialog(page).get_by_role("button", name="Embed", exact=True).click()
    expect(page.locator(f"{EDITOR} .desk-block--embed")).to_contain_text("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    # The count under the editor follows the blocks' words: quote, fact box, table, embed text.
    expect(page.locator(".field-body .desk-wordcount")).to_have_text("35 words · 1 min read")

    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    article.refresh_from_db()
    assert article.body == (
        "<p>The council met on Monday.</p>"
        f'<figure data-picture="{second.pk}" data-size="wide"></figure>'
        f'<figure data-gallery="{third.pk} {first.pk}"></figure>'
        '<figure data-pullquote=""><blockquote><p>We will not close it again.</p></blockquote>'
        "<figcaption>Asha Verma, mayor</figcaption></figure>"
        '<aside data-factbox=""><h3>The bridge</h3><p>Built in 1932.</p>'
        "<ul><li><p>300 m long</p></li><li><p>Four lanes</p></li></ul></aside>"
        "<table><tbody><tr><th><p>Year</p></th><th><p>Cars a day</p></th></tr>"
        "<tr><td><p>2024</p></td><td><p>41,000</p></td></tr></tbody></table>"
        '<figure data-embed="youtube" data-url="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "<figcaption>The bridge reopening, filmed</figcaption></figure>"
        "<p></p>"
    )
    assert reading_time(word_count(article.body)) == "35 words · 1 min read", "the server counts the same"

    page.reload()
    shown = page.locator(EDITOR)
    expect(shown.locator(".desk-block--picture")).to_contain_text("Cars on the bridge")
    expect(shown.locator(".desk-block--picture select")).to_have_value("wide")
    expect(shown.locator(".desk-block--gallery img")).to_have_count(2)
    assert shown.locator(".desk-block--gallery img").evaluate_all("images => images.map(i => i.alt)") == [
        "The old bridge in 1932",
        "The bridge at dawn",
    ]
    expect(shown.locator(".desk-block--pullquote blockquote")).to_have_text("We will not close it again.")
    expect(shown.locator(".desk-block--factbox h3")).to_have_text("The bridge")
    expect(shown.locator("table th").nth(1)).to_have_text("Cars a day")
    expect(shown.locator(".desk-block--embed")).to_contain_text(re.compile("Embed · YouTube", re.IGNORECASE))
    # Reloaded and edited, the editor writes back exactly what is stored, with the edit.
    at_the_end(page)
    page.keyboard.type("The end.")
    assert article.body.endswith("<p></p>")
    expect(page.locator("#id_body")).to_have_value(article.body.removesuffix("<p></p>") + "<p>The end.</p>")
    assert page.off_site == [] and page.errors == []


@pytest.fixture
def writer_story(writer, pictures):
    first, second, third = pictures
    return make_article(
        "Bridge in pictures",
        status=Article.Status.DRAFT,
        body=f'<figure data-picture="{first.pk}" data-size="inline"></figure>'
        f'<figure data-gallery="{first.pk} {second.pk} {third.pk}"></figure>',
        created_by=writer,
        authors=[make_author()],
    )


def test_the_gallery_is_reordered_and_a_picture_resized_in_place(live_server, desk, writer, pictures, writer_story):
    first, second, third = pictures
    page = desk("writer")
    stand_in_endpoints(page, writer)
    page.goto(change_page(live_server, writer_story))
    gallery = page.locator(f"{EDITOR} .desk-block--gallery")
    expect(gallery.locator("img")).to_have_count(3)
    gallery.get_by_role("button", name="Move picture 1 right").click()
    gallery.get_by_role("button", name="Remove picture 3 from the gallery").click()
    page.locator(f"{EDITOR} .desk-block--picture select").select_option("full")
    expect(page.locator("#id_body")).to_have_value(
        f'<figure data-picture="{first.pk}" data-size="full"></figure><figure data-gallery="{second.pk} {first.pk}"></figure>'
    )


def test_a_picture_uploaded_in_place_needs_alt_text_and_shows_the_servers_errors(live_server, desk, writer, article):
    page = desk("writer")
    stand_in_endpoints(page, writer)
    page.goto(change_page(live_server, article))
    at_the_end(page)
    menu(page, "Picture").click()
    dialog(page).get_by_text("Upload a new picture").click()
    upload = dialog(page).locator(".desk-dialog__upload")
    upload.get_by_label("Picture file").set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture"}]
    )
    upload.get_by_role("button", name="Upload and choose").click()
    expect(upload).to_contain_text("Describe the picture: alt text is required.")
    upload.get_by_label("Alt text (required)").fill("Traffic on the reopened bridge, 北京")
    upload.get_by_role("button", name="Upload and choose").click()
    file_error = upload.locator(".desk-dialog__field", has=page.get_by_label("Picture file")).locator(
        ".desk-dialog__error"
    )
    expect(file_error).to_be_visible()
    expect(page.get_by_label("Picture file")).to_have_attribute("aria-invalid", "true")
    assert Picture.objects.count() == 0

    upload.get_by_label("Picture file").set_input_files(
        files=[{"name": "bridge.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    upload.get_by_role("button", name="Upload and choose").click()
    expect(dialog(page).locator(".desk-dialog__status")).to_contain_text("Uploaded and chosen")
    dialog(page).get_by_label("Size in the story").select_option("full")
    dialog(page).get_by_role("button", name="Insert", exact=True).click()
    uploaded = Picture.objects.get()
    assert uploaded.alt_text == "Traffic on the reopened bridge, 北京"
    expect(page.locator("#id_body")).to_have_value(
        f'{BODY}<figure data-picture="{uploaded.pk}" data-size="full"></figure><p></p>'
    )


HOSTILE = (
    "<h1>Bridge reopens</h1>"
    '<p style="color:red" class="MsoNormal" onclick="alert(1)">Traffic is back'
    '<img src="https://tracker.example/a.png"><img src="https://tracker.example/b.png"></p>'
    "<script>alert(2)</script>"
    '<iframe src="https://evil.example/frame"></iframe>'
    "<h5>Small print</h5>"
    '<figure data-embed="x" data-url="javascript:alert(3)"><figcaption>Forged</figcaption></figure>'
    '<table style="width:100%"><colgroup><col width="50"></colgroup>'
    '<tr><td colspan="2" rowspan="1" style="color:red">Wide cell</td></tr><tr><td>A</td><td>B</td></tr></table>'
)


def test_a_hostile_paste_says_what_was_dropped_and_stores_nothing_unsafe(live_server, desk, writer, article):
    page = desk("writer")
    page.goto(change_page(live_server, article))
    at_the_end(page)
    page.keyboard.press("Enter")
    page.locator(EDITOR).evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Bridge reopens");
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        HOSTILE,
    )
    report = page.locator(".field-body .desk-paste-report")
    expect(report).to_have_text(
        "Dropped from the paste: 2 pictures from other sites, 1 embedded frame (use the Embed button), "
        "2 scripts, colours, fonts and other styling."
    )
    expect(report).to_have_attribute("aria-live", "polite")
    expect(page.locator(f"{EDITOR} h2")).to_have_text("Bridge reopens")
    expect(page.locator(f"{EDITOR} h4")).to_have_text("Small print")

    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    article.refresh_from_db()
    assert "<h2>Bridge reopens</h2>" in article.body and "<h4>Small print</h4>" in article.body
    assert "<p>Traffic is back</p>" in article.body
    assert "<td><p>Wide cell</p></td>" in article.body and "<td><p>B</p></td>" in article.body
    for unsafe in (
        "colspan",
        "rowspan",
        "<col",
        "width",
        "<img",
        "<script",
        "<iframe",
        "style=",
        "class=",
        "onclick",
        "javascript:",
        "alert",
        "data-embed",
    ):
        assert unsafe not in article.body
    assert page.off_site == [], "nothing pasted was fetched"


def test_a_providers_address_pasted_alone_on_a_line_becomes_an_embed(live_server, desk, writer, article, monkeypatch):
    # The providers the editor knows come from the server (newsroom.lib.embeds), through the field's config.
    youtube = {"key": "youtube", "label": "YouTube", "hosts": ["www.youtube.com", "youtube.com", "youtu.be"]}
    monkeypatch.setitem(BODY_EDITOR_EXTENSIONS, "BodyEmbed", {"providers": [youtube]})
    page = desk("writer")
    page.goto(change_page(live_server, article))
    at_the_end(page)
    paste = """(editor, text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }"""
    watch = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    page.locator(EDITOR).evaluate(paste, watch)  # inside a sentence: a link
    page.keyboard.press("Enter")
    page.locator(EDITOR).evaluate(paste, "https://example.org/not-a-provider")  # no provider's: a link
    page.keyboard.press("Enter")
    page.locator(EDITOR).evaluate(paste, "https://youtu.be/dQw4w9WgXcQ")
    expect(page.locator(f"{EDITOR} .desk-block--embed")).to_contain_text("Embed · YouTube")
    expect(page.locator(".field-body .desk-paste-report")).to_contain_text("Pasted as an embed (YouTube).")
    expect(page.locator("#id_body")).to_have_value(
        f'<p>The council met on Monday.<a href="{watch}">{watch}</a></p>'
        '<p><a href="https://example.org/not-a-provider">https://example.org/not-a-provider</a></p>'
        '<figure data-embed="youtube" data-url="https://youtu.be/dQw4w9WgXcQ"></figure><p></p>'
    )


def test_a_pasted_picture_file_is_refused_with_a_word(live_server, desk, writer, article):
    page = desk("writer")
    page.goto(change_page(live_server, article))
    at_the_end(page)
    page.locator(EDITOR).evaluate(
        """editor => {
            const data = new DataTransfer();
            data.items.add(new File(["not really a png"], "screenshot.png", {type: "image/png"}));
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(page.locator(".field-body .desk-paste-report")).to_have_text(
        "Not pasted: 1 file. Add pictures with the Picture button, which can upload them."
    )
    expect(page.locator(f"{EDITOR} img")).to_have_count(0)


def test_a_block_is_inserted_with_the_keyboard_alone(live_server, desk, writer, article):
    page = desk("writer")
    page.goto(change_page(live_server, article))
    page.focus("#id_headline")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Fact box":
            break
    else:
        pytest.fail("Tab never reached the Fact box button")
    fact_box = menu(page, "Fact box")

    page.keyboard.press("Enter")
    expect(dialog(page)).to_be_visible()
    expect(dialog(page).get_by_label("Title")).to_be_focused()
    # Tab stays inside the dialog, and Escape closes it, giving focus back to the menu button.
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('dialog.desk-dialog')")
    page.keyboard.press("Escape")
    expect(dialog(page)).to_have_count(0)
    expect(fact_box).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.type("Getting there")
    page.keyboard.press("Tab")
    page.keyboard.type("- Bus 12 stops at both ends\n- Parking on the north side")
    page.keyboard.press("Tab")  # the Insert button
    page.keyboard.press("Enter")
    expect(dialog(page)).to_have_count(0)
    expect(page.locator(EDITOR)).to_be_focused()
    expect(page.locator("#id_body")).to_have_value(
        f'{BODY}<aside data-factbox=""><h3>Getting there</h3><ul><li><p>Bus 12 stops at both ends</p></li>'
        "<li><p>Parking on the north side</p></li></ul></aside><p></p>"
    )


def test_an_autosaved_draft_with_blocks_is_restored_with_them(live_server, desk, writer, pictures, article):
    page = desk("writer")
    stand_in_endpoints(page, writer)
    page.goto(change_page(live_server, article))
    at_the_end(page)
    menu(page, "Pull quote").click()
    dialog(page).get_by_label("Quote").fill("Worth the wait.")
    dialog(page).get_by_role("button", name="Insert", exact=True).click()
    menu(page, "Picture").click()
    dialog(page).get_by_role("button", name="The bridge at dawn").click()
    dialog(page).get_by_role("button", name="Insert", exact=True).click()
    page.wait_for_selector("text=/autosaved at \\d/", timeout=15_000)
    page.close(run_before_unload=False)

    again = desk("writer")
    stand_in_endpoints(again, writer)
    again.goto(change_page(live_server, article))
    again.click("button:has-text('Restore them')")
    expect(again.locator(f"{EDITOR} .desk-block--pullquote blockquote")).to_have_text("Worth the wait.")
    expect(again.locator(f"{EDITOR} .desk-block--picture")).to_contain_text("The bridge at dawn")
    assert (
        f'<figure data-pullquote=""><blockquote><p>Worth the wait.</p></blockquote></figure>'
        f'<figure data-picture="{pictures[0].pk}" data-size="inline"></figure>'
    ) in again.input_value("#id_body")
    article.refresh_from_db()
    assert article.body == BODY, "restoring saves nothing"
    assert again.errors == []


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# As tests/browser/test_desk_accessibility.py runs it: WCAG 2 A and AA (2.0 to 2.2), best practices.
AXE_RUN = """axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    rules: {"target-size": {enabled: true}},
}).then(r => r.violations.map(v => `${v.id} (${v.help}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_with_every_block_and_its_dialogs_has_no_axe_violation(
    live_server, browser, writer, pictures, scheme
):
    first, second, third = pictures
    article = make_article(
        "Bridge in blocks",
        status=Article.Status.DRAFT,
        body=(
            f'<p>Intro.</p><figure data-picture="{first.pk}" data-size="full"></figure>'
            f'<figure data-gallery="{second.pk} {third.pk}"></figure>'
            '<figure data-pullquote=""><blockquote><p>Worth it.</p></blockquote></figure>'
            '<aside data-factbox=""><h3>Facts</h3><ol><li><p>One</p></li></ol></aside>'
            "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td>2024</td></tr></tbody></table>"
            '<figure data-embed="vimeo" data-url="https://vimeo.com/76979871"></figure>'
        ),
        created_by=writer,
        authors=[make_author()],
    )
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, "writer", PASSWORD)
    stand_in_endpoints(page, writer)
    page.goto(change_page(live_server, article))
    expect(page.locator(f"{EDITOR} .desk-block--gallery img")).to_have_count(2)
    # The table stored with a <thead> (the contract's other form) is read, and written the editor's way.
    page.locator(f"{EDITOR} > p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" More.")
    expect(page.locator("#id_body")).to_have_value(
        re.compile(
            re.escape("<table><tbody><tr><th><p>Year</p></th></tr><tr><td><p>2024</p></td></tr></tbody></table>")
        )
    )
    page.add_script_tag(path=str(AXE))
    found = {"editor": page.evaluate(AXE_RUN)}
    menu(page, "Picture").click()
    dialog(page).get_by_text("Upload a new picture").click()
    expect(dialog(page).locator(".desk-chooser__item")).to_have_count(3)
    found["picture dialog"] = page.evaluate(AXE_RUN)
    page.keyboard.press("Escape")
    menu(page, "Embed").click()
    dialog(page).get_by_role("button", name="Embed", exact=True).click()  # empty: an error to show
    found["embed dialog with an error"] = page.evaluate(AXE_RUN)
    context.close()
    assert {name: lines for name, lines in found.items() if lines} == {}
