"""The store-wide answers the pages ask for first, computed once after an import (issue #17).

The Overview and the Timeline start from answers over the whole store: the totals, the actors, the
pair matrix, the busiest pairs, the sources present. store.version.memo(keep=True) keeps each in the
store until the data changes, so only the first page run after a change computes them — 30 s at 1M
articles, which the first analyst after an import would wait for. The import commands call
keep_store_answers at their end instead, so that whoever imported pays it once, with the import.
"""
from __future__ import annotations

from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.queries import pairs
from dashboard.queries.filters import Filter

# the limits the pages ask with: another limit is another answer (store.version.memo keys on them)
OVERVIEW_TOP_PAIRS = 12
COMPARE_PAIRS = 50


def keep_store_answers(db) -> None:
    """Compute (and keep in the store) the answers every page's first run needs. A read-only store
    computes them for this process only; PostgreSQL keeps none (store.version.memo)."""
    art.store_counts(db)
    art.actor_counts(db)
    art.explorations(db)
    pairs.pair_rows(db, Filter())
    ev.sources_present(db)
    ev.top_pairs_by_events(db, OVERVIEW_TOP_PAIRS)
    ev.top_pairs_by_events(db, COMPARE_PAIRS)
    ev.top_pairs_by_events(db)    # the Timeline's hint when no pair is picked
