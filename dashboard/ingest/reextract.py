"""Re-extraction: run text analysis again over the stored articles (after the gazetteer, the CAMEO
lexicon or the date rules changed), keeping analyst edits.

It sits beside write.py, whose analyse_article it calls for each article: it writes the store from
the analysis layer's output, as an import does, rather than being part of text analysis itself.
"""
from __future__ import annotations

from typing import Callable

from dashboard.analysis.language import detect_language
from dashboard.analysis.lemmas import lemmatise
from dashboard.ingest.write import analyse_article
from dashboard.store import check_writable, flush_fts

BATCH = 500   # articles read at a time: memory stays flat however large the store


def reextract(db, *, batch: int = BATCH, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Recompute every article's language, Russian dictionary forms (search), actor mentions, pairs and extracted events, in one transaction;
    edits are re-applied. Returns (articles read, extracted events now in the store).

    Bodies are read `batch` articles at a time, by id, rather than all at once (a 100k store holds
    hundreds of MiB of text). progress(articles so far) is called after each batch.
    Raises store.StoreReadOnly for a store opened read-only.
    """
    check_writable(db)
    done, last = 0, 0
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        while rows := _next_batch(db, last, batch):
            for article_id, title, body, published in rows:
                analyse_article(db, article_id, title, body, published)
            # the language (v10) and the dictionary forms of the Russian words (v11), where they changed
            db.conn.executemany(
                "UPDATE articles SET language = ?1, title_lemmas = ?2, body_lemmas = ?3 WHERE id = ?4 AND "
                "(language IS NOT ?1 OR title_lemmas IS NOT ?2 OR body_lemmas IS NOT ?3)",
                [(detect_language(r[1], r[2]), lemmatise(r[1]), lemmatise(r[2]), r[0]) for r in rows])
            done, last = done + len(rows), rows[-1][0]
            if progress:
                progress(done)
        flush_fts(db)   # the stored vocabulary counts the changed dictionary forms (store.vocab)
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    return done, extracted_count(db)


def _next_batch(db, after: int, size: int) -> list[tuple]:
    # Relative dates in the text resolve against the local publication date (case C18).
    return db.execute("SELECT id, title, body, coalesce(published_date, published_at) FROM articles "
                      "WHERE id > ? ORDER BY id LIMIT ?", [after, size]).fetchall()


def extracted_count(db) -> int:
    """Number of events extracted from article text."""
    return db.execute("SELECT count(*) FROM events WHERE source = 'extracted'").fetchone()[0]
