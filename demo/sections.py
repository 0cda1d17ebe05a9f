"""The demo's sections, shared by load_demo and the data generator: a paper's usual parts."""

from articles.models import Section

# (slug, name, description, parent slug); the order is the navigation's.
SECTIONS = [
    ("world", "World", "News from every continent, from our correspondents and the agencies.", None),
    ("asia", "Asia", "China, India, Japan and the rest of the continent.", "world"),
    ("europe", "Europe", "The European Union, Britain, Russia and their neighbours.", "world"),
    ("politics", "Politics", "Parliament, government, elections and the people in them.", None),
    ("business", "Business", "Companies, markets, jobs and the economy.", None),
    ("science", "Science", "Research, the climate, health and the natural world.", None),
    ("city", "City", "The council, transport, schools and life in the city.", None),
    ("opinion", "Opinion", "Columns, editorials and letters.", None),
]

# Labels above headlines, as a desk uses them.
KICKERS = [
    "Analysis",
    "Exclusive",
    "Explainer",
    "Live",
    "Interview",
    "Review",
    "Comment",
    "Special report",
    "In pictures",
]


def ensure_sections() -> dict[str, Section]:
    """The demo sections by slug, created where missing (what exists is left as it is)."""
    found = {section.slug: section for section in Section.objects.filter(slug__in=[row[0] for row in SECTIONS])}
    for position, (slug, name, description, parent) in enumerate(SECTIONS):
        if slug not in found:
            found[slug] = Section.objects.create(
                slug=slug, name=name, description=description, position=position, parent=found.get(parent)
            )
    return found
