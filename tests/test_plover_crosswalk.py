"""PLOVER types and the CAMEO↔PLOVER crosswalk (issue #16 item 3): tables/plover_types.tsv and
tables/cameo_plover.tsv through the one table reader, the CAMEO root derived for a PLOVER type and
mode, and the real PLOVER conversion table (../shared) agreeing with ours row by row."""
from __future__ import annotations

import re

import pytest

import dashboard.knowledge as knowledge
from dashboard.knowledge import TableError, plover
from dashboard.knowledge.cameo import quad_class

from conftest import SHARED

REAL = SHARED / "data" / "openeventdata__PLOVER" / "CAMEO2PLOVER-2021.txt"


def test_plover_types_sixteen_with_names_and_quadclass():
    t = plover.types()
    assert list(t) == ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                       "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
    quads = {q: [e for e, r in t.items() if r["quad_class"] == q] for q in (1, 2, 3, 4)}
    assert quads == {1: ["AGREE", "CONSULT", "SUPPORT", "CONCEDE"], 2: ["COOPERATE", "AID", "RETREAT"],
                     3: ["REQUEST", "ACCUSE", "REJECT", "THREATEN"],
                     4: ["PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]}
    assert plover.type_name("assault") == "Assault" and plover.type_name("FIGHT") is None
    assert plover.label("ASSAULT", "firearms") == "ASSAULT (Assault) · firearms"
    assert plover.label("consult") == "CONSULT (Consult)"


def test_crosswalk_rows_and_lookups():
    cw = plover.crosswalk()
    assert len(cw) == 256
    assert cw["0311"] == {"cameo": "0311", "event": "AGREE", "mode": "", "contexts": ("economic",)}
    assert cw["1124"]["contexts"] == ("military", "legal")
    assert cw["195"] == {"cameo": "195", "event": "ASSAULT", "mode": "heavy-weapons", "contexts": ("military",)}
    assert cw["163"]["event"] == "COERCE"          # the source's own choice, kept as a fact
    assert plover.plover_of_cameo("18")["cameo"] == "180"      # a root reads its x0 code
    assert plover.plover_of_cameo("0315")["cameo"] == "031"    # a code the crosswalk lacks reads its parent
    assert plover.plover_of_cameo("99") is None and plover.plover_of_cameo(None) is None


def test_cameo_root_of_plover_type_and_mode():
    roots = {t: plover.cameo_root(t) for t in plover.types()}
    assert roots == {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "CONCEDE": "08", "COOPERATE": "06",
                     "AID": "07", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
                     "THREATEN": "13", "PROTEST": "14", "SANCTION": "16", "MOBILIZE": "15", "COERCE": "17",
                     "ASSAULT": "18"}
    assert plover.cameo_root("ASSAULT", "firearms") == "19"
    assert plover.cameo_root("assault", "Massacre") == "20"
    assert plover.cameo_root("ACCUSE", "investigate") == "09"
    assert plover.cameo_root("ASSAULT", "drone") == "18"       # a POLECAT mode the crosswalk lacks
    assert plover.cameo_root("FIGHT") is None
    # every type's derived root is a CAMEO root of its own QuadClass, but CONCEDE (POLECAT: verbal)
    assert [t for t, r in roots.items() if quad_class(r) != plover.types()[t]["quad_class"]] == ["CONCEDE"]


def test_crosswalk_refuses_unknown_type_with_its_line(tmp_path, monkeypatch):
    (tmp_path / "plover_types.tsv").write_text((knowledge.TABLES_DIR / "plover_types.tsv").read_text())
    (tmp_path / "cameo_plover.tsv").write_text("# c\ncameo\tevent\tmode\tcontext\n030\tAGREE\t\t\n031\tFIGHT\t\t\n")
    monkeypatch.setattr(knowledge, "TABLES_DIR", tmp_path)
    plover.types.cache_clear(), plover.crosswalk.cache_clear()
    try:
        with pytest.raises(TableError, match=r"^tables/cameo_plover\.tsv line 4: 'FIGHT' is not a PLOVER"):
            plover.crosswalk()
    finally:
        monkeypatch.undo()
        plover.types.cache_clear(), plover.crosswalk.cache_clear(), plover._roots.cache_clear()


def read_real_crosswalk(path) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """CAMEO code → (event, mode, contexts) from the PLOVER manual's conversion table."""
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        m = re.match(r"^(\d{3,4}):\s*(.*)$", line.split("#", 1)[0].strip())
        if not m:
            continue
        event, mode, context = (p.strip() for p in (m.group(2) + ",,").split(",")[:3])
        out[m.group(1)] = (event, mode, tuple(c.strip() for c in context.split(";") if c.strip()))
    return out


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is absent")
def test_crosswalk_agrees_with_real_cameo2plover_file():
    real = read_real_crosswalk(REAL)
    ours = {c: (r["event"], r["mode"], r["contexts"]) for c, r in plover.crosswalk().items()}
    assert len(real) == 256
    assert ours == real


NGEC = SHARED / "data" / "ahalterman__NGEC-2025" / "PLOVER_structured_codebook_updated.csv"


@pytest.mark.skipif(not NGEC.exists(), reason="../shared/data is absent")
def test_ngec_codebook_types_are_ours_and_every_mode_has_a_root():
    import csv
    with open(NGEC, encoding="utf-8", newline="") as fh:
        pairs = {(r["event"].strip(), r["mode"].strip()) for r in csv.DictReader(fh)}
    assert {e for e, _ in pairs} == set(plover.types())
    assert all(plover.cameo_root(e, m) for e, m in pairs)
    # modes the crosswalk names pick their own root; the others fall back to the type's
    assert {m: plover.cameo_root("ASSAULT", m) for e, m in pairs if e == "ASSAULT" and m in
            ("firearms", "heavy-weapons", "massacre", "drone", "aerial")} == {
        "firearms": "19", "heavy-weapons": "19", "massacre": "20", "drone": "18", "aerial": "18"}
