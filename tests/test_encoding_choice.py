"""The encoding of a legacy file: a declaration first, then the code page that reads as words of one
plausible language, never Baltic for Latin-1 nor katakana for Cyrillic capitals; the report names it
(issue #16 item 8)."""
from __future__ import annotations

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.encoding import choose_encoding, declared_encoding, decode_whole

from conftest import SHARED

TITLES = ["Polícia prende ex-ministro; prisão preventiva decretada", "Chávez critica acordo com a União Europeia",
          "Eleições: votação começa às 8h", "Câmara aprova projeto sobre segurança pública",
          "Ministro é ouvido na comissão", "Senado rejeita emenda à Constituição", "Exportações crescem no trimestre",
          "Governo anuncia reforma da previdência", "Lula e Maduro discutem crise na fronteira",
          "Itamaraty convoca embaixador após declarações", "Acordo comercial avança em Bruxelas",
          "Negociações sobre o Mercosul são retomadas", "Brasil e Argentina assinam protocolo",
          "Missão diplomática chega a Varsóvia", "Ucrânia pede apoio à OTAN"]
CAPS = ["ПЕРЕГОВОРЫ В МИНСКЕ ВОЗОБНОВЛЕНЫ", "ЛУКАШЕНКО ВСТРЕТИЛСЯ С ПУТИНЫМ", "МИНСК И МОСКВА ПОДПИСАЛИ СОГЛАШЕНИЕ"]


def _feed(titles, prolog="", date="Tue, 21 Nov 2023 10:00:00 +0000"):
    items = "".join(f"<item><title>{t}</title><link>https://example.br/{i}</link><pubDate>{date}</pubDate>"
                    f"<description>{t}. Mais informações em breve.</description></item>\n" for i, t in enumerate(titles))
    return f"{prolog}<rss version=\"2.0\"><channel><title>Notícias</title>\n{items}</channel></rss>\n"


def test_encoding_choice_latin1_feed_without_declaration(db, tmp_path):
    path = tmp_path / "noticias.rss"
    path.write_bytes(_feed(TITLES).encode("latin-1"))
    report = import_paths(db, [path])
    f = report.files[0]
    assert (f.imported, f.failed, f.encoding) == (15, 0, "Windows-1252 (detected)")
    assert [r[0] for r in db.execute("SELECT title FROM articles ORDER BY id")] == TITLES
    assert "encoding Windows-1252 (detected)" in report.summary()
    assert db.execute("SELECT encoding FROM imports").fetchone() == ("Windows-1252 (detected)",)


def test_encoding_choice_capitals_in_windows_1251_and_koi8r(db, tmp_path):
    for codec, label in (("cp1251", "Windows-1251 (detected)"), ("koi8_r", "KOI8-R (detected)")):
        for line in CAPS:
            data = (line + "\n").encode(codec)
            assert choose_encoding(data)[0] == codec, (codec, line)
            text, _, shown = decode_whole(data)
            assert (text, shown) == (line + "\n", label)
    path = tmp_path / "caps.csv"
    path.write_bytes(("title,published_at\n" + "".join(f"{t},2023-11-21\n" for t in CAPS)).encode("cp1251"))
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.encoding) == (3, "Windows-1251 (detected)")
    assert [r[0] for r in db.execute("SELECT title FROM articles ORDER BY id")] == CAPS


@pytest.mark.parametrize("text, codec", [
    ("Rozmowy w Mińsku: Łukaszenka i żądania Polski, ściśle tajne", "cp1250"),
    ("Lietuvos užsienio reikalų ministras susitiko su kolegomis Vilniuje, įtampa", "cp1257"),
    ("Latvijas ārlietu ministrs tikās ar kolēģiem Rīgā", "cp1257"),
    ("Переговоры в Минске возобновлены, стороны обсудили торговлю", "cp1251"),
    ("Переговоры в Минске возобновлены, стороны обсудили торговлю", "koi8_r"),
    ("Україна і Польща підписали угоду про співпрацю", "cp1251"),
    ("O “café” de São Paulo é famoso — até em Bruxelas", "cp1252"),
])
def test_encoding_choice_plausible_language(text, codec):
    data = text.encode(codec)
    assert choose_encoding(data) == (codec, "detected")
    assert decode_whole(data)[0] == text


def test_encoding_choice_declaration_honoured(db, tmp_path):
    lt = "Lietuvos užsienio reikalų ministras"
    xml = f'<?xml version="1.0" encoding="windows-1257"?>\n<rss><channel><title>{lt}</title></channel></rss>'
    assert choose_encoding(xml.encode("cp1257")) == ("cp1257", "declared")
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head><body>{CAPS[0]}</body></html>'
    assert choose_encoding(html.encode("koi8_r")) == ("koi8-r", "declared")
    assert declared_encoding(b'<meta charset="ISO-8859-1">') == "cp1252"       # as browsers read it
    # a declaration left over a file that is really UTF-8 loses to the bytes
    assert choose_encoding(xml.replace(lt, "Łukaszenka").encode("utf-8"))[0] == "utf-8-sig"
    # and a Latin-1 declaration reads the Portuguese feed without detection
    path = tmp_path / "declared.rss"
    path.write_bytes(_feed(TITLES[:2], '<?xml version="1.0" encoding="ISO-8859-1"?>\n').encode("latin-1"))
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.encoding) == (2, "Windows-1252 (declared)")
    assert [r[0] for r in db.execute("SELECT title FROM articles ORDER BY id")] == TITLES[:2]


def test_encoding_choice_utf8_not_named(db, tmp_path):
    path = tmp_path / "utf8.rss"
    path.write_bytes(_feed(TITLES[:1]).encode("utf-8"))
    report = import_paths(db, [path])
    assert report.files[0].encoding is None and ", encoding " not in report.summary()


CHARDET = SHARED / "data" / "chardet__chardet" / "windows-1251-russian__newsru.com.xml"


@pytest.mark.skipif(not CHARDET.exists(), reason="../shared/data is absent")
def test_encoding_choice_real_windows_1251_feed(db):
    f = import_paths(db, [CHARDET]).files[0]
    assert (f.imported, f.failed, f.encoding) == (30, 0, "Windows-1251 (declared)")
    titles = [r[0] for r in db.execute("SELECT title FROM articles")]
    assert all(any("а" <= c <= "я" for c in t.lower()) for t in titles)
