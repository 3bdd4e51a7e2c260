"""One archive budget for the CLI and the Import page (issue #13, item 2).

Bombs are built in tmp_path at test time, small: the budget is set low for each test, so that a
few hundred KiB play the part of gigabytes. The decision tested: a member is measured (every byte
counted as it is inflated) before anything of it is imported, so a refused member imports nothing;
members before it stay imported, good siblings after a ratio or nesting refusal still import, and
once the total budget is spent the rest of the archive is refused unread.
"""
from __future__ import annotations

import io
import struct
import zipfile

import pytest

from dashboard import ingest
from dashboard.app import uploads
from dashboard.cli import main
from dashboard.ingest import archive, import_file, import_paths
from dashboard.store import open_store

from conftest import FIXTURES

GDELT_ROW = (FIXTURES / "events" / "gdelt2.export.CSV").read_text(encoding="utf-8").splitlines()[0]
PAGE = "Minsk and Moscow\n\nApril 22, 2016\n\nMinsk and Moscow signed a gas treaty on Friday.\n"


def gdelt_rows(first_id: int, n: int) -> bytes:
    """n GDELT 2.0 rows with ids first_id … first_id + n - 1 (GDELT members are streamed)."""
    rest = GDELT_ROW.split("\t", 1)[1]
    return "".join(f"{first_id + i}\t{rest}\n" for i in range(n)).encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def gdelt_ids(db) -> list[int]:
    return sorted(int(r[0]) for r in db.execute("SELECT source_event_id FROM events WHERE source = 'gdelt'"))


def outcome(reports) -> list[tuple]:
    return [(r.path, r.status, r.imported, [e.message for e in r.errors]) for r in reports]


@pytest.fixture
def nested(tmp_path):
    """outer.zip holding inner.zip of three GDELT members, and a budget that a.CSV fits and b.CSV
    breaks: (path, budget in bytes)."""
    a, b, c = gdelt_rows(1, 200), gdelt_rows(1001, 200), gdelt_rows(2001, 200)
    inner = zip_bytes({"a.CSV": a, "b.CSV": b, "c.CSV": c})
    path = tmp_path / "outer.zip"
    path.write_bytes(zip_bytes({"inner.zip": inner}))
    return path, len(inner) + len(a) + len(b) // 2


def test_a_zip_of_a_zip_over_the_budget_stops_at_the_member_that_breaks_it(db, nested, monkeypatch):
    path, budget = nested
    # Batches of 50 rows: were b.CSV imported while it is read, its first batches would be committed.
    monkeypatch.setattr(ingest, "BATCH_ROWS", 50)
    reports = import_file(db, path, "outer.zip", max_unpacked=budget)
    assert outcome(reports) == [
        ("outer.zip/inner.zip/a.CSV", "imported", 200, []),
        ("outer.zip/inner.zip/b.CSV", "failed", 0, [
            f"refused: archive outer.zip unpacks to more than {archive.human(budget)} (the limit) at member "
            "outer.zip/inner.zip/b.CSV; raise it with --max-unpacked or DASHBOARD_MAX_UNPACKED"]),
        ("outer.zip/inner.zip", "failed", 0, [
            f"1 more member of outer.zip/inner.zip not read: the archive's budget of {archive.human(budget)} "
            "was spent at outer.zip/inner.zip/b.CSV"]),
    ]
    assert gdelt_ids(db) == list(range(1, 201))  # nothing of b.CSV (streamed in batches) nor of c.CSV


def test_the_cli_and_the_page_give_the_same_reports(tmp_path, nested, monkeypatch, capsys):
    path, budget = nested
    monkeypatch.setenv("DASHBOARD_MAX_UNPACKED", "1GiB")  # the option wins over the variable
    code = main(["import", str(path), "--db", str(tmp_path / "cli.db"), "--max-unpacked", str(budget),
                 "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"file: refused: archive {path} unpacks to more than {archive.human(budget)} (the limit) at member " \
           f"{path}/inner.zip/b.CSV; raise it with --max-unpacked or DASHBOARD_MAX_UNPACKED" in out
    cli = open_store(tmp_path / "cli.db")
    page = open_store(tmp_path / "page.db")
    monkeypatch.setenv("DASHBOARD_MAX_UNPACKED", str(budget))  # the page reads the variable
    # The page's function with a file-like upload, as Streamlit hands it over.
    reports = uploads.import_uploads(page, [NamedStream("outer.zip", path.read_bytes())], max_bytes=10 ** 6)
    assert [(r.path, r.status, r.imported) for r in reports] == [
        ("outer.zip/inner.zip/a.CSV", "imported", 200), ("outer.zip/inner.zip/b.CSV", "failed", 0),
        ("outer.zip/inner.zip", "failed", 0)]
    assert gdelt_ids(page) == gdelt_ids(cli) == list(range(1, 201))


class NamedStream(io.BytesIO):
    """What st.file_uploader returns: a BytesIO with a name (streamlit's UploadedFile)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def test_an_archive_inside_an_archive_inside_an_archive_is_refused_its_siblings_import(db):
    deep = zip_bytes({"deep.txt": PAGE.encode()})
    middle = zip_bytes({"deep.zip": deep, "page.txt": PAGE.encode()})
    reports = uploads.import_uploads(db, [("outer.zip", zip_bytes({"middle.zip": middle}))], max_bytes=10 ** 6)
    assert outcome(reports) == [
        ("outer.zip/middle.zip/deep.zip", "failed", 0, [
            "refused: outer.zip/middle.zip/deep.zip is an archive inside an archive inside an archive "
            "(archive outer.zip); archives are read one level deep at most"]),
        ("outer.zip/middle.zip/page.txt", "imported", 1, []),
    ]


def test_a_member_with_a_bomb_ratio_is_refused_and_the_good_siblings_import(db, tmp_path):
    path = tmp_path / "ratio.zip"
    path.write_bytes(zip_bytes({"before.txt": PAGE.encode(), "zeros.csv": b"0" * (3 * 1024 ** 2),
                                "events.CSV": gdelt_rows(1, 50)}))
    packed = zipfile.ZipFile(path).getinfo("zeros.csv").compress_size
    reports = import_paths(db, [path]).files
    assert outcome(reports) == [
        (f"{path}/before.txt", "imported", 1, []),
        (f"{path}/zeros.csv", "failed", 0, [
            f"refused: member {path}/zeros.csv of archive {path} unpacks to more than 100 times its packed size "
            f"({archive.human(packed)}), as a zip bomb does"]),
        (f"{path}/events.CSV", "imported", 50, []),
    ]


def test_too_many_entries_refuse_the_archive_before_it_is_parsed(db, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    data = zip_bytes({f"p{i}.txt": PAGE.encode() for i in range(4)})
    assert archive.declared_entries(io.BytesIO(data)) == 4
    reports = uploads.import_uploads(db, [("many.zip", data)], max_bytes=10 ** 6)
    assert outcome(reports) == [("many.zip", "failed", 0, [
        "refused: archive many.zip holds 4 entries; at most 3 are read from one archive (archives inside it "
        "included)"])]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_entries_are_counted_across_nested_archives(db, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    inner = zip_bytes({"x.txt": PAGE.encode(), "y.txt": b"y", "z.txt": b"z"})
    reports = uploads.import_uploads(db, [("o.zip", zip_bytes({"inner.zip": inner}))], max_bytes=10 ** 6)
    assert outcome(reports) == [("o.zip/inner.zip", "failed", 0, [
        "refused: archive o.zip/inner.zip holds 3 entries; at most 3 are read from one archive (archives inside "
        "it included)"])]


def lying_zip(tmp_path, declared: int):
    """A zip of one 300-row GDELT member whose central directory claims `declared` bytes unpacked."""
    data = bytearray(zip_bytes({"liar.CSV": gdelt_rows(1, 300)}))
    at = data.rfind(b"PK\x01\x02")
    data[at + 24:at + 28] = struct.pack("<I", declared)
    path = tmp_path / f"liar-{declared}.zip"
    path.write_bytes(bytes(data))
    return path


def test_declared_sizes_are_not_trusted(db, tmp_path):
    """The budget counts the bytes inflated, whatever the archive declares: a member claiming 2 GiB
    within a 1 MiB budget imports; one claiming 10 bytes is damaged (zipfile stops at the claim)."""
    [big] = import_file(db, lying_zip(tmp_path, 2 ** 31), "big.zip", max_unpacked=1024 ** 2)
    assert (big.status, big.imported) == ("imported", 300)
    [small] = import_file(db, lying_zip(tmp_path, 10), "small.zip", max_unpacked=1024 ** 2, force=True)
    assert outcome([small]) == [("small.zip/liar.CSV", "failed", 0, [
        "member small.zip/liar.CSV cannot be read: Bad CRC-32 for file 'liar.CSV'"])]


def test_a_bad_budget_setting_is_named_and_the_archive_is_not_read(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UNPACKED", "lots")
    reports = uploads.import_uploads(db, [("a.zip", zip_bytes({"p.txt": PAGE.encode()})),
                                          ("p.txt", PAGE.encode())], max_bytes=10 ** 6)
    assert outcome(reports) == [
        ("a.zip", "failed", 0, ["archive not read: DASHBOARD_MAX_UNPACKED: 'lots' is not a size "
                                "(write e.g. 2GiB, 500MB or a number of bytes)"]),
        ("p.txt", "imported", 1, [])]
    assert uploads.archive_limit().startswith("none read until this is fixed: DASHBOARD_MAX_UNPACKED")


def test_a_bad_max_unpacked_option_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(tmp_path), "--db", str(tmp_path / "s.db"), "--max-unpacked", "2 parsecs"])
    assert exit_.value.code == 2
    assert "argument --max-unpacked: '2 parsecs' is not a size" in capsys.readouterr().err


def test_sizes():
    assert [archive.parse_size(s) for s in ("1073741824", "2GiB", "500MB", "1.5 GiB", "64kib")] == [
        1024 ** 3, 2 * 1024 ** 3, 500 * 1000 ** 2, 1536 * 1024 ** 2, 64 * 1024]
    for bad in ("", "0", "-1GiB", "1 GiBs", "1e9"):
        with pytest.raises(ValueError):
            archive.parse_size(bad)
    assert [archive.human(n) for n in (5, 1024 ** 3, 700 * 1024 ** 2, 1536)] == [
        "5 bytes", "1 GiB", "700 MiB", "1.5 KiB"]


def test_an_upload_is_copied_to_disk_and_an_oversized_one_is_not_read_to_the_end(db):
    big = NamedStream("big.csv", b"x" * 5000)
    [report] = uploads.import_uploads(db, [big], max_bytes=1000)
    assert (report.status, str(report.errors[0])) == ("failed", "file: 0.0 MB is over the 0 MB upload limit")
    assert big.tell() == 1001
    page = NamedStream("dir/page.txt", PAGE.encode())
    page.read()  # read already, as a page script might: the import starts from the beginning
    assert outcome(uploads.import_uploads(db, [page], max_bytes=1000)) == [("page.txt", "imported", 1, [])]


def test_a_member_read_whole_is_capped_event_tables_stream_past_the_cap(db, monkeypatch):
    monkeypatch.setattr(archive, "MAX_WHOLE_MEMBER", 1000)
    page = (PAGE + "More words. " * 100).encode()
    reports = uploads.import_uploads(db, [("m.zip", zip_bytes({"long.txt": page, "events.CSV": gdelt_rows(1, 10)}))],
                                     max_bytes=10 ** 6)
    assert outcome(reports) == [
        ("m.zip/long.txt", "failed", 0, [
            f"refused: member m.zip/long.txt unpacks to {archive.human(len(page))}; a member that is not an event "
            "table (GDELT, ACLED, ICEWS) is read whole, so at most 1000 bytes: split it or import it unpacked"]),
        ("m.zip/events.CSV", "imported", 10, [])]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
