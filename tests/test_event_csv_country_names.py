"""Country names in an event CSV are mapped to ISO 3166-1 alpha-3 through knowledge.countries; an
ambiguous name ("Congo") or an unknown one is kept as typed and listed in the report, never guessed
(issue #16 item 7)."""
from __future__ import annotations

import json

from dashboard.ingest import import_paths
from dashboard.knowledge.countries import ambiguous_names, country_from_name, resolve_country


def test_event_csv_country_names_mapped_and_reported(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,country_a,country_b,headline\n"
                    "2023-11-21,\"Congo, Dem. Rep.\",Rwanda,Goma talks\n"
                    "2023-11-22,Congo,Rwanda,Border incident\n"
                    "2023-11-23,arm,Azerbaijan,Border talks\n"
                    "2023-11-24,Atlantis,BLR,Unknown partner\n"
                    "2023-11-25,the Congo,Rwanda,Second incident\n", encoding="utf-8")
    report = import_paths(db, [path])
    f = report.files[0]
    assert (f.imported, f.failed) == (5, 0)
    rows = db.execute("SELECT date, actor1, actor2, pair_a, pair_b, extra FROM events ORDER BY date").fetchall()
    assert [r[:5] for r in rows] == [
        ("2023-11-21", "COD", "RWA", "COD", "RWA"),
        ("2023-11-22", "Congo", "RWA", "Congo", "RWA"),
        ("2023-11-23", "ARM", "AZE", "ARM", "AZE"),
        ("2023-11-24", "Atlantis", "BLR", "Atlantis", "BLR"),
        ("2023-11-25", "the Congo", "RWA", "RWA", "the Congo"),
    ]
    assert json.loads(rows[0][5]) == {"actor1_as_typed": "Congo, Dem. Rep.", "actor2_as_typed": "Rwanda"}
    assert f.unknown_codes == {"Congo (ambiguous: COD or COG)": 1, "the Congo (ambiguous: COD or COG)": 1,
                               "Atlantis": 1}
    assert ("kept as is, not mapped to ISO 3166-1: Atlantis (1), Congo (ambiguous: COD or COG) (1), "
            "the Congo (ambiguous: COD or COG) (1)") in report.summary()


def test_event_csv_country_names_resolver():
    assert resolve_country("Congo, Dem. Rep.") == ("COD", None)
    assert resolve_country("Congo, Rep.") == ("COG", None)
    assert resolve_country("Korea, Rep.") == ("KOR", None)
    assert resolve_country("Gambia, The") == ("GMB", None)
    assert resolve_country("  nato ") == ("NATO", None)
    assert resolve_country("Korea") == (None, "ambiguous: KOR or PRK")
    assert resolve_country("Congo") == (None, "ambiguous: COD or COG")
    assert resolve_country("EUR") == (None, "unknown")
    assert resolve_country("") == (None, None)
    # ICEWS keeps its own convention: its "Congo" is the Republic of the Congo
    assert country_from_name("Congo") == "COG"
    assert set(ambiguous_names()) == {"congo", "korea", "virgin islands"}
