"""Search finds a story by the names on its byline and its credit (issue 17): Article.search_vector
gains them, weight D, after the headline (A), standfirst (B) and body (C) of migrations 0005 and
0015. Triggers keep it so whichever way the rows are written, one by one or in bulk (the desk,
the wire importer, load_demo, generate_newsroom):

- the article's own trigger adds the names it finds when the headline, standfirst, body or credit
  is written (a new story has no bylines yet: they are saved after it);
- once per statement that writes bylines, the stories they belong to get their names again,
  the rest of the vector kept as it is (ts_filter: the body is not parsed again);
- renaming an author does the same for the stories bylined on or credited to them.

search_title (headline and standfirst) is unchanged. Nothing happens on other databases (SQLite
searches the names directly, articles.models.ArticleQuerySet.matching)."""

from django.db import migrations

TITLE = """
    setweight(to_tsvector('english', coalesce({row}.headline, '')), 'A') ||
    setweight(to_tsvector('english', coalesce({row}.standfirst, '')), 'B')
"""

# The vector without its names, with the story's names as they are now.
RENAMED = "ts_filter(coalesce(search_vector, ''), '{a,b,c}') || articles_article_names(id, credit_id)"

FORWARD = f"""
CREATE FUNCTION articles_article_names(article bigint, credit bigint) RETURNS tsvector AS $$
    SELECT setweight(to_tsvector('english', concat_ws(' ',
        (SELECT string_agg(author.name, ' ' ORDER BY byline.position, byline.id)
           FROM articles_byline byline JOIN authors_author author ON author.id = byline.author_id
          WHERE byline.article_id = article),
        (SELECT name FROM authors_author WHERE id = credit))), 'D')
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_title := {TITLE.format(row="NEW")};
    NEW.search_vector := NEW.search_title
        || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C')
        || articles_article_names(NEW.id, NEW.credit_id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER articles_article_search_vector ON articles_article;
CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF headline, standfirst, body, credit_id ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

CREATE FUNCTION articles_byline_search_names() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE articles_article SET search_vector = {RENAMED}
         WHERE id IN (SELECT article_id FROM new_bylines);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE articles_article SET search_vector = {RENAMED}
         WHERE id IN (SELECT article_id FROM old_bylines);
    ELSE
        UPDATE articles_article SET search_vector = {RENAMED}
         WHERE id IN (SELECT article_id FROM new_bylines UNION SELECT article_id FROM old_bylines);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_byline_search_names_insert
    AFTER INSERT ON articles_byline REFERENCING NEW TABLE AS new_bylines
    FOR EACH STATEMENT EXECUTE FUNCTION articles_byline_search_names();
CREATE TRIGGER articles_byline_search_names_update
    AFTER UPDATE ON articles_byline REFERENCING OLD TABLE AS old_bylines NEW TABLE AS new_bylines
    FOR EACH STATEMENT EXECUTE FUNCTION articles_byline_search_names();
CREATE TRIGGER articles_byline_search_names_delete
    AFTER DELETE ON articles_byline REFERENCING OLD TABLE AS old_bylines
    FOR EACH STATEMENT EXECUTE FUNCTION articles_byline_search_names();

CREATE FUNCTION authors_author_search_names() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET search_vector = {RENAMED}
     WHERE id IN (SELECT article_id FROM articles_byline WHERE author_id = NEW.id
                  UNION SELECT id FROM articles_article WHERE credit_id = NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER authors_author_search_names
    AFTER UPDATE OF name ON authors_author
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION authors_author_search_names();

UPDATE articles_article SET search_vector = {RENAMED};
"""

BACKWARD = f"""
DROP TRIGGER IF EXISTS authors_author_search_names ON authors_author;
DROP FUNCTION IF EXISTS authors_author_search_names();
DROP TRIGGER IF EXISTS articles_byline_search_names_insert ON articles_byline;
DROP TRIGGER IF EXISTS articles_byline_search_names_update ON articles_byline;
DROP TRIGGER IF EXISTS articles_byline_search_names_delete ON articles_byline;
DROP FUNCTION IF EXISTS articles_byline_search_names();

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_title := {TITLE.format(row="NEW")};
    NEW.search_vector := NEW.search_title || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER articles_article_search_vector ON articles_article;
CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF headline, standfirst, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

UPDATE articles_article SET search_vector = ts_filter(search_vector, '{{a,b,c}}');
DROP FUNCTION IF EXISTS articles_article_names(bigint, bigint);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_search_and_social"), ("authors", "0005_plain_text_fields")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
