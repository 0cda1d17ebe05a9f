"""Full-text search on PostgreSQL: a trigger keeps Article.search_vector current, a GIN index
serves the search. Nothing happens on other databases (SQLite uses a simple fallback)."""

from django.db import migrations

# Headline weighs most, then standfirst, then body. HTML tags in the body are parsed as tags
# and not indexed. The search query (articles/search.py) uses the same configuration.
FORWARD = """
CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF headline, standfirst, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

UPDATE articles_article SET headline = headline;

CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS articles_article_search_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_public_site")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
