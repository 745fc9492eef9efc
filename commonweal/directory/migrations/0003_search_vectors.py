"""PostgreSQL's full-text index without weights, so that its GIN index answers a search exactly.

Migration 0002 kept the words and the tags in one tsvector, told apart by weight (A, B and D). GIN does
not store weights, so every row the index found had to be read and its (compressed) tsvector matched
again: on a broad search that re-reading was most of the time. Now the one tsvector holds the words
(keywords and the rest) unweighted and each tag as a lexeme of its own beginning with '#' ('#free',
'#t12'), which no word can be, so one GIN scan answers words and filters together without re-reading
any row (only a phrase, 'food bank', still makes PostgreSQL check the rows it found). The keywords alone
are a small tsvector of their own, which ranking reads for every service found.

SQLite's FTS5 table is unchanged: nothing is done there. Keep search.POSTGRESQL_INDEXES the same as this.
"""

from django.db import migrations

from commonweal.core.vendor_sql import by_vendor

POSTGRESQL = [
    "DROP INDEX IF EXISTS directory_searchtext_search_vector",
    "ALTER TABLE directory_searchtext DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE directory_searchtext "
    "ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('english'::regconfig, keywords) || to_tsvector('english'::regconfig, document) || "
    "array_to_tsvector(array_remove(string_to_array(regexp_replace(tags, '(\\S+)', '#\\1', 'g'), ' '), ''))"
    ") STORED, "
    "ADD COLUMN keywords_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, keywords)) STORED",
    "CREATE INDEX directory_searchtext_search_vector ON directory_searchtext USING GIN (search_vector)",
]
# Back to migration 0002's one weighted tsvector.
POSTGRESQL_UNDO = [
    "DROP INDEX IF EXISTS directory_searchtext_search_vector",
    "ALTER TABLE directory_searchtext DROP COLUMN IF EXISTS keywords_vector, DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE directory_searchtext ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, keywords), 'A') || "
    "setweight(to_tsvector('english'::regconfig, document), 'B') || "
    "setweight(to_tsvector('english'::regconfig, tags), 'D')) STORED",
    "CREATE INDEX directory_searchtext_search_vector ON directory_searchtext USING GIN (search_vector)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_search_index"),
    ]

    operations = [
        by_vendor({"postgresql": POSTGRESQL}, {"postgresql": POSTGRESQL_UNDO}),
    ]
