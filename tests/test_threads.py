"""A store opened in one thread and queried from others (shared case C15)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from dashboard.queries import articles as art
from dashboard.queries.filters import Filter
from dashboard.store import thread_db


def test_each_thread_gets_its_own_connection(fixture_store_path):
    main = thread_db(fixture_store_path)
    expected = art.count_articles(main, Filter())

    def work(_):
        db = thread_db(fixture_store_path)
        return id(db), art.count_articles(db, Filter.build(query="Minsk")), art.count_articles(db, Filter())

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(40)))
    assert {r[2] for r in results} == {expected}
    assert len({r[1] for r in results}) == 1
    assert id(main) not in {r[0] for r in results}
