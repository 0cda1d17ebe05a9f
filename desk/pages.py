"""Pages that other apps add to the article desk, so the desk never imports them.

The wire app adds its import page and the readers' app the preview, each from its own admin.py
(which the admin loads at start-up): they are served under /admin/articles/article/ with the
desk's login and permission wrapper, and named admin:articles_article_<name>.
"""

from collections.abc import Callable
from dataclasses import dataclass


def _nobody(user) -> bool:
    return False


@dataclass(frozen=True)
class DeskPage:
    route: str  # below /admin/articles/article/
    name: str
    view: Callable  # view(article_admin, request, **url_kwargs)
    decorators: tuple = ()
    link: str = ""  # a link on the article list, for the users allowed() says may follow it
    allowed: Callable[[object], bool] = _nobody


PAGES: list[DeskPage] = []


def desk_page(route: str, *, name: str, decorators: tuple = (), link: str = "", allowed=_nobody):
    """Add the decorated view to the article desk."""

    def add(view: Callable) -> Callable:
        PAGES.append(DeskPage(route, name, view, decorators, link, allowed))
        return view

    return add
