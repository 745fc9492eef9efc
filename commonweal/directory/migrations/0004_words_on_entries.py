"""PostgreSQL: the full-text index moves from SearchText onto SearchEntry, so a search reads one table.

With the words on SearchText, every search with words joined the services it found to their entries, and
a broad one ('debt', free, within five miles: eleven thousand services) spent most of its time in that join.
Now each entry carries a copy of its service's words (`keywords`, `document`, `tags`, which Django does not
know of: only commonweal.directory.search writes and reads them) and the two tsvectors migration 0003 made,
each with a GIN index: `search_vector` finds, `keywords_vector` ranks and tells the best matches apart.
SearchText keeps its rows and loses its vectors. Entries already written get their words here, so search
works at once without a rebuild.

SQLite's FTS5 table is unchanged: nothing is done there. Keep search.POSTGRESQL_INDEXES the same as this.
"""

from django.db import migrations

from commonweal.core.vendor_sql import by_vendor

VECTORS = (
    "ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('english'::regconfig, keywords) || to_tsvector('english'::regconfig, document) || "
    "array_to_tsvector(array_remove(string_to_array(regexp_replace(tags, '(\\S+)', '#\\1', 'g'), ' '), ''))"
    ") STORED, "
    "ADD COLUMN keywords_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, keywords)) STORED"
)
POSTGRESQL = [
    "ALTER TABLE directory_searchentry ADD COLUMN keywords text NOT NULL DEFAULT '', "
    "ADD COLUMN document text NOT NULL DEFAULT '', ADD COLUMN tags text NOT NULL DEFAULT ''",
    "UPDATE directory_searchentry e SET keywords = t.keywords, document = t.document, tags = t.tags "
    "FROM directory_searchtext t WHERE t.service_id = e.service_id",
    f"ALTER TABLE directory_searchentry {VECTORS}",
    "CREATE INDEX directory_searchentry_search_vector ON directory_searchentry USING GIN (search_vector)",
    "CREATE INDEX directory_searchentry_keywords_vector ON directory_searchentry USING GIN (keywords_vector)",
    "DROP INDEX IF EXISTS directory_searchtext_search_vector",
    "ALTER TABLE directory_searchtext DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS keywords_vector",
]
# Back to migration 0003: the vectors on SearchText, the entries without words.
POSTGRESQL_UNDO = [
    f"ALTER TABLE directory_searchtext {VECTORS}",
    "CREATE INDEX directory_searchtext_search_vector ON directory_searchtext USING GIN (search_vector)",
    "DROP INDEX IF EXISTS directory_searchentry_keywords_vector",
    "DROP INDEX IF EXISTS directory_searchentry_search_vector",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS keywords_vector, DROP COLUMN IF EXISTS search_vector, "
    "DROP COLUMN IF EXISTS keywords, DROP COLUMN IF EXISTS document, DROP COLUMN IF EXISTS tags",
]


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_vectors"),
    ]

    operations = [
        by_vendor({"postgresql": POSTGRESQL}, {"postgresql": POSTGRESQL_UNDO}),
    ]
