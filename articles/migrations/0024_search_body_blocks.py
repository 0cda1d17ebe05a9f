"""Search reads a story's body blocks as readers do (issue 19): the captions of the pictures its
body shows (inline and in galleries, through the ArticlePicture reference table of 0023) join the
body's weight (C); an embed's caption does not (what the provider shows is not our text, and its
address sits in attributes, which the parser never indexes). Pull quotes, fact boxes and tables
are text of the body and were indexed already.

Triggers keep it whichever way rows are written:
- the article's own trigger (0019) reads the body without its embed figures, then the captions;
- once per statement that writes reference rows (Article.save keeps them in step with the body),
  the stories they belong to get their vector again;
- changing a picture's caption does the same for the stories showing it.

Nothing happens on other databases (SQLite searches the body itself: captions of pictures are
not found there, knowingly)."""

from django.db import migrations

TITLE = """
    setweight(to_tsvector('english', coalesce({row}.headline, '')), 'A') ||
    setweight(to_tsvector('english', coalesce({row}.standfirst, '')), 'B')
"""
# The body as search reads it: without its embeds (a figure holding only its caption).
BODY = """setweight(to_tsvector('english',
    regexp_replace(coalesce({row}.body, ''), '<figure data-embed[^>]*>.*?</figure>', ' ', 'g')), 'C')"""

# Every part again, for a story whose pictures changed.
AGAIN = f"""search_title || {BODY.format(row="articles_article")}
    || articles_article_captions(id) || articles_article_names(id, credit_id)"""

FORWARD = f"""
CREATE FUNCTION articles_article_captions(article bigint) RETURNS tsvector AS $$
    SELECT setweight(to_tsvector('english', coalesce(string_agg(picture.caption, ' ' ORDER BY used.position), '')), 'C')
      FROM articles_articlepicture used JOIN pictures_picture picture ON picture.id = used.picture_id
     WHERE used.article_id = article
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_title := {TITLE.format(row="NEW")};
    NEW.search_vector := NEW.search_title || {BODY.format(row="NEW")}
        || articles_article_captions(NEW.id) || articles_article_names(NEW.id, NEW.credit_id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION articles_articlepicture_search() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE articles_article SET search_vector = {AGAIN} WHERE id IN (SELECT article_id FROM new_uses);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE articles_article SET search_vector = {AGAIN} WHERE id IN (SELECT article_id FROM old_uses);
    ELSE
        UPDATE articles_article SET search_vector = {AGAIN}
         WHERE id IN (SELECT article_id FROM new_uses UNION SELECT article_id FROM old_uses);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_articlepicture_search_insert
    AFTER INSERT ON articles_articlepicture REFERENCING NEW TABLE AS new_uses
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articlepicture_search();
CREATE TRIGGER articles_articlepicture_search_update
    AFTER UPDATE ON articles_articlepicture REFERENCING OLD TABLE AS old_uses NEW TABLE AS new_uses
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articlepicture_search();
CREATE TRIGGER articles_articlepicture_search_delete
    AFTER DELETE ON articles_articlepicture REFERENCING OLD TABLE AS old_uses
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articlepicture_search();

CREATE FUNCTION pictures_picture_search_caption() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET search_vector = {AGAIN}
     WHERE id IN (SELECT article_id FROM articles_articlepicture WHERE picture_id = NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER pictures_picture_search_caption
    AFTER UPDATE OF caption ON pictures_picture
    FOR EACH ROW WHEN (OLD.caption IS DISTINCT FROM NEW.caption)
    EXECUTE FUNCTION pictures_picture_search_caption();

UPDATE articles_article SET search_vector = {AGAIN};
"""  # noqa: S608 - constant SQL of this module, no input

BACKWARD = f"""
DROP TRIGGER IF EXISTS pictures_picture_search_caption ON pictures_picture;
DROP FUNCTION IF EXISTS pictures_picture_search_caption();
DROP TRIGGER IF EXISTS articles_articlepicture_search_insert ON articles_articlepicture;
DROP TRIGGER IF EXISTS articles_articlepicture_search_update ON articles_articlepicture;
DROP TRIGGER IF EXISTS articles_articlepicture_search_delete ON articles_articlepicture;
DROP FUNCTION IF EXISTS articles_articlepicture_search();

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_title := {TITLE.format(row="NEW")};
    NEW.search_vector := NEW.search_title
        || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C')
        || articles_article_names(NEW.id, NEW.credit_id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE articles_article SET search_vector = search_title
    || setweight(to_tsvector('english', coalesce(body, '')), 'C') || articles_article_names(id, credit_id);
DROP FUNCTION IF EXISTS articles_article_captions(bigint);
"""  # noqa: S608 - constant SQL of this module, no input


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_body_pictures")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
