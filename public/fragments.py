"""Rendered fragments of readers' pages, kept in the cache under the versions of what they show.

A story's card (in every listing) and its page content are kept under the story's public
revision (Article.public_revision: it goes up when the story, or an author, tag or picture it
shows, changes), so a change re-renders that story alone and leaves every other card warm. The
story's page also shows the site settings, so it is kept under their version too. Which stories
a page shows is still decided by the database on every request: only their rendering is reused. NEWSROOM_FRAGMENT_CACHE=0 makes the `fragments` cache
a dummy one, so everything is rendered on every request.
"""

from hashlib import blake2b

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.translation import get_language
from markupsafe import Markup

from articles import body
from articles.models import Article
from public.caching import PageState
from public.listings import live_counts, most_specific
from public.search import SearchTerms, highlighted
from public.structured_data import breadcrumb_list, news_article, section_trail

FRAGMENT_SECONDS = 60 * 60


def _cache():
    return caches["fragments"]


def render(name: str, context: dict) -> str:
    return get_template(name, using="jinja2").render(context)


def cards(
    rows: list[Article], *, state: PageState, lead: Article | None = None, level: int | list[int] = 2
) -> list[Markup]:
    """The card of each story, in order; `lead` is shown large. Rows need only their pk and
    public_revision. `level` is the level of the cards' headlines (h2 under the page's h1, h3
    under a heading of their own), one for all or one per row.

    The cards of a whole page are kept together too (one read for the page), under the
    stories the database chose for it and their revisions.
    """
    levels = [level] * len(rows) if isinstance(level, int) else level
    ids = ",".join(f"{row.pk}.{row.public_revision}.{at}" for row, at in zip(rows, levels, strict=True))
    block_key = f"newsroom:cards:{lead.pk if lead else 0}:{blake2b(ids.encode(), digest_size=12).hexdigest()}"
    cache = _cache()
    if (block := cache.get(block_key)) is not None:
        return [Markup(card) for card in block]  # noqa: S704 - rendered by our autoescaping templates
    keys = [
        (
            row.pk,
            row is lead,
            at,
            f"newsroom:card:{'lead' if row is lead else 'card'}{at}:{row.pk}.{row.public_revision}",
        )
        for row, at in zip(rows, levels, strict=True)
    ]
    found = cache.get_many([key for *_, key in keys])
    missing = [(pk, is_lead, at, key) for pk, is_lead, at, key in keys if key not in found]
    if missing:
        articles = Article.objects.filter(pk__in={pk for pk, *_ in missing}).for_listing().defer("body").in_bulk()
        rendered = {
            key: render("includes/article_card.html", {"article": articles[pk], "lead": is_lead, "level": at})
            for pk, is_lead, at, key in missing
        }
        cache.set_many(rendered, FRAGMENT_SECONDS)
        found |= rendered
    block = [found[key] for *_, key in keys]
    cache.set(block_key, block, FRAGMENT_SECONDS)
    return [Markup(card) for card in block]  # noqa: S704 - rendered by our autoescaping templates


def search_results(rows: list[tuple[int, int]], terms: SearchTerms) -> list[Markup]:
    """Each result of a search page (the key and public revision of each story), rendered with the
    search's words marked: kept, like a card, under the story's revision, and under the words."""
    words = blake2b(terms.text.encode(), digest_size=12).hexdigest()
    keys = {pk: f"newsroom:result:v3:{words}:{pk}.{revision}" for pk, revision in rows}
    cache = _cache()
    found = cache.get_many(list(keys.values()))
    if missing := [pk for pk, key in keys.items() if key not in found]:
        rendered = {
            keys[result.article.pk]: render(
                "includes/search_result.html", {"result": result, "article": result.article}
            )
            for result in highlighted(missing, terms)
        }
        cache.set_many(rendered, FRAGMENT_SECONDS)
        found |= rendered
    shown = [found[keys[pk]] for pk, _ in rows if keys[pk] in found]  # one taken down meanwhile is left out
    return [Markup(result) for result in shown]  # noqa: S704 - rendered by our autoescaping templates


def lookup(kind: str, slug: str, *, state: PageState, fetch, version=None):
    """A tag or author by slug, kept under the site version (an edit to one bumps it), or under
    `version` (a section, which shows which of its subsections have live stories: state.key)."""
    version = state.site_version if version is None else version
    key = f"newsroom:{kind}:{version}:{blake2b(slug.encode(), digest_size=12).hexdigest()}"
    cache = _cache()
    if (found := cache.get(key)) is not None:
        return found
    found = fetch()
    if found is not None:
        cache.set(key, found, FRAGMENT_SECONDS)
    return found


def more_tag(article: Article, *, state: PageState) -> dict | None:
    """The tag of the story's "More on" list (listings.most_specific). Each tag's count of live
    stories is kept under the page state's key (any story coming, going or changing renews it),
    so that the stories of a common tag are not counted again for every story that carries it."""
    tags = [item.tag for item in article.tagged_items.all()]
    keys = {tag.pk: f"newsroom:tag-live:{state.key}:{tag.pk}" for tag in tags}
    cache = _cache()
    found = cache.get_many(list(keys.values()))
    counts = {pk: found[key] for pk, key in keys.items() if key in found}
    if missing := [pk for pk in keys if pk not in counts]:
        fresh = live_counts(missing)
        cache.set_many({keys[pk]: fresh.get(pk, 0) for pk in missing}, FRAGMENT_SECONDS)
        counts |= fresh
    return most_specific(tags, counts)


def listing_head(kind: str, key: str, *, state: PageState, fetch) -> list:
    """The rows of the newest stories of a listing (listings.section_head, tag_head) as the page
    state knows them: kept under its key, which every story coming, going or changing renews, so
    that the "More in" lists after each story of a section are read once, not for every story."""
    return lookup(f"head-{kind}", key, state=state, fetch=fetch, version=state.key)


def article_parts(article: Article, *, state: PageState, preview: bool = False) -> dict:
    """What an article page shows of the story: title, description, head tags and the story itself.

    `article` needs only its pk and public_revision unless it is a preview (never cached).
    """
    # "v2": the parts gained the share title and description (parts kept before lack them).
    # "v3": the byline shows its roles ("Additional reporting by …").
    # "v4": the body shows its blocks (pictures, galleries, embeds, tables: articles.body).
    key = f"newsroom:story:v4:{state.settings_version}:{article.pk}.{article.public_revision}"
    cache = _cache()
    if not preview and (parts := cache.get(key)) is not None:
        return parts
    if not preview:
        article = Article.objects.for_page().get(pk=article.pk)
    section = article.section if article.section_id else None
    trail = section_trail(section)
    context = {"article": article, "site": state.site, "preview": preview, "trail": trail[1:]}
    context["blocks"] = body.blocks(article.body)  # its pictures in one query, none without any
    if not preview:
        context["structured_data"] = news_article(article, state.site)
        context["breadcrumbs"] = breadcrumb_list([*trail, (article.headline, article.get_absolute_url())])
    parts = {
        # What the "More in" lists after the story are read from (public.views.article_detail).
        # The tag is chosen when the story is rendered: it stays until the story changes, or for
        # FRAGMENT_SECONDS at most.
        "section": section
        and {
            "pk": section.pk,
            "slug": section.slug,
            "name": section.name,
            "url": section.get_absolute_url(),
            "top_level": section.parent_id is None,
        },
        "more_tag": None if preview else more_tag(article, state=state),
        "title": article.effective_seo_title,
        "share_title": article.effective_social_headline,
        "description": article.effective_meta_description,
        "share_description": article.effective_social_description,
        "lang": article.language or get_language(),
        "head": Markup(render("public/article_head.html", context)),  # noqa: S704 - our template
        "image_meta": Markup(render("public/article_image_meta.html", context)),  # noqa: S704 - our template
        "story": Markup(render("public/story.html", context)),  # noqa: S704 - our template
    }
    if not preview:
        cache.set(key, parts, FRAGMENT_SECONDS)
    return parts
