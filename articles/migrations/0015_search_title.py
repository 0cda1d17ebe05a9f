"""Readers' search ranks headline and standfirst matches first (public/search.py): the trigger of
migration 0005 now also keeps Article.search_title, their vector alone, with a GIN index for it
and one for its headline part (ts_filter: weight A).
Nothing happens on other databases (SQLite uses a simple fallback)."""

import django.contrib.postgres.search
from django.db import migrations

TITLE = """
    setweight(to_tsvector('english', coalesce({row}.headline, '')), 'A') ||
    setweight(to_tsvector('english', coalesce({row}.standfirst, '')), 'B')
"""

# search_vector stays what it was: headline (A), standfirst (B), body (C).
FORWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_title := {TITLE.format(row="NEW")};
    NEW.search_vector := NEW.search_title || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE articles_article SET search_title = {TITLE.format(row="articles_article")};

CREATE INDEX articles_article_search_title_gin ON articles_article USING gin (search_title);
CREATE INDEX articles_article_search_headline_gin ON articles_article USING gin (ts_filter(search_title, '{{a}}'));
"""

BACKWARD = """
DROP INDEX IF EXISTS articles_article_search_headline_gin;
DROP INDEX IF EXISTS articles_article_search_title_gin;

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_public_revision")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_title",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
