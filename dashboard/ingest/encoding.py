"""Reading files of unknown encoding into NFC text (charset-normalizer does the detection).

Two rules every importer shares, whether a file is read whole (`decode_report`) or streamed line by
line (`Lines`), so that the command line and the Import page read a file alike:

Line ends: a file whose first HEAD_CHARS characters hold a line feed ends its lines at "\\n" (a
"\\r" before it belongs to the line end) and keeps any other "\\r" as data (inside a quoted field it
is part of the value); a file with carriage returns but no line feed there is an old-Mac file whose
lines end at "\\r".

Bad bytes: a file that is UTF-8 but for a few bytes is read as UTF-8 line by line; the bytes that are
not UTF-8 are read as Windows-1252 (a stray byte from a legacy editor, such as 0xED for "í"), or as
U+FFFD where Windows-1252 has no character, and each such line is reported with its number and
byte offset. Only the odd bytes change: the line, its row and the rest of the file are kept.

Which encoding (`choose_encoding`), in this order: a byte-order mark; a declaration in the file (XML
prolog `encoding=`, HTML `<meta charset>` or `http-equiv` Content-Type), honoured when the bytes
decode in it — except a single-byte declaration over bytes that are valid multi-byte UTF-8 (a
template's declaration left in a UTF-8 file); UTF-8 (also with a few bad bytes); then the legacy code
page whose text reads as real words of one plausible language (tables/code_pages.tsv: most non-ASCII
characters are letters of ONE language of that code page, no capital inside a lower-case word, and
Cyrillic text whose commonest letters are Russian/Ukrainian/Belarusian ones), so a Latin-1 feed is
not read as Baltic Windows-1257 nor capitals in Windows-1251 as Japanese katakana (issue #16); only
when none fits, charset-normalizer. Declared ISO-8859-1 and ASCII are read as Windows-1252, as
browsers do. The reports name the encoding whenever it is not UTF-8 (`encoding_label`).
"""
from __future__ import annotations

import codecs
import functools
import io
import re
from typing import BinaryIO, Iterator

import charset_normalizer

from dashboard.analysis.textnorm import nfc
from dashboard.knowledge import parse_table
from .records import FileError, RowError

HEAD_CHARS = 64 * 1024      # characters looked at to decide a file's line ends
MAX_PROBLEMS_KEPT = 20      # lines with bad bytes reported per file (the rest are counted)
_REPAIR = "relations-cp1252"
_ESCAPED = re.compile("[\udc80-\udcff]")   # bytes kept by 'surrogateescape'
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _repair(exc: UnicodeDecodeError) -> tuple[str, int]:
    return exc.object[exc.start:exc.end].decode("cp1252", "replace"), exc.end


codecs.register_error(_REPAIR, _repair)


def newline_of(head: str) -> str:
    """The character that ends a line in a file starting with `head`: '\\r' for an old-Mac file
    (carriage returns and no line feed in its first HEAD_CHARS characters), else '\\n'."""
    head = head[:HEAD_CHARS]
    return "\r" if "\r" in head and "\n" not in head else "\n"


def normalise_newlines(text: str) -> str:
    """`text` with its line ends (see newline_of) written as '\\n'; other carriage returns kept."""
    if newline_of(text) == "\r":
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\r\n", "\n")


def value_newlines(text: str) -> str:
    """Line breaks inside a field's value ("\\r\\n", or a "\\r" kept in a quoted field) as "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mostly_utf8(data: bytes) -> bool:
    """True when `data` is UTF-8 but for a few stray bytes (at most 3, or one in a thousand).

    A legacy file (Windows-1251 Cyrillic, say) has an invalid sequence at almost every letter.
    The last 4 bytes are forgiven: a file's head may end inside a multi-byte character.
    """
    loose = data.decode("utf-8-sig", errors="replace")
    bad = loose.count("\ufffd") - loose[-4:].count("\ufffd") - data.count("\ufffd".encode())
    return bad <= max(3, len(data) // 1000)


def pick_encoding(head: bytes) -> str | None:
    """The encoding of a file whose first bytes are `head` (choose_encoding); None when the head looks
    binary (NUL bytes outside UTF-16) or empty."""
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not head.strip() or (b"\x00" in head and not utf16):
        return None
    return choose_encoding(head)[0]


# --- choosing an encoding -----------------------------------------------------------------------

_DECLARED = [re.compile(p, re.I) for p in (
    rb"^\s*<\?xml[^>]{0,200}?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']",
    rb"<meta\b[^>]{0,300}?\bcharset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})")]
# What a declaration names → what to read it as (the WHATWG encoding standard, as browsers do).
_AS_BROWSERS_DO = {"latin1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
                   "utf-16-le": "utf-8", "utf-16-be": "utf-8", "utf-16": "utf-8", "utf-32": "utf-8"}
SAMPLE_BYTES = 256 * 1024   # bytes of a file the code pages are scored on
PLAUSIBLE = 0.9             # the least score (share of plausible non-ASCII characters) a code page needs
_PUNCTUATION = set("“”‘’‚„«»‹›–—…•·€°§©®™\u00a0±×†‡‰′″№")
# The commonest letters of Russian, Ukrainian and Belarusian text: three quarters of its letters, under
# 0.6 when a Cyrillic code page is read as another one (Windows-1251 capitals read as KOI8-R, …).
# A reading whose share is below CYRILLIC_SHARE loses in proportion.
CYRILLIC_FREQUENT = frozenset("оеаинтсрвлкіу")
CYRILLIC_SHARE = 0.7
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def declared_encoding(head: bytes) -> str | None:
    """The codec a file declares in its first bytes (XML prolog, HTML <meta charset> or http-equiv
    Content-Type), as Python names it (ISO-8859-1 and ASCII read as Windows-1252); None when it
    declares none or names no codec Python knows."""
    for pattern in _DECLARED:
        m = pattern.search(head[:4096])
        if m:
            try:
                name = codecs.lookup(m.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                return None
            return _AS_BROWSERS_DO.get(name, name)
    return None


@functools.cache
def code_pages() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """code page → [(language, its non-ASCII letters in lower case)], from tables/code_pages.tsv."""
    out: dict[str, list[tuple[str, frozenset[str]]]] = {}

    def row(r):
        codecs.lookup(r[0])   # LookupError → a TableError naming the line
        return r[0], r[1], frozenset(r[2])
    for page, lang, letters in parse_table("code_pages.tsv", row, width=3):
        out.setdefault(page, []).append((lang, letters))
    return out


def plausibility(text: str, page: str) -> float:
    """How well `text` reads as words of one language of code page `page` (tables/code_pages.tsv):
    the share of its non-ASCII characters that are letters of the best-fitting language or common
    punctuation, less one for each capital right after a lower-case letter ("prisĆo", "пРИВЕТ") and
    for each non-ASCII letter of a word mixing Latin and Cyrillic letters ("Cafй"),
    and for Cyrillic text less in proportion when its commonest letters are not the language's
    (CYRILLIC_SHARE). 1.0 for pure ASCII."""
    odd = [c for c in text if c > "\x7f"]
    if not odd:
        return 1.0
    lower = [c.lower() for c in odd if c.isalpha()]
    covered = max(sum(c in letters for c in lower) for _, letters in code_pages()[page])
    punct = sum(c in _PUNCTUATION for c in odd)
    slips = sum(1 for a, b in zip(text, text[1:]) if (a > "\x7f" or b > "\x7f") and a.islower() and b.isupper())
    # a word of Latin letters with Cyrillic ones in it ("Cafй") is a misreading
    slips += sum(sum(c > "\x7f" for c in w) for w in _WORD.findall(text)
                 if _LATIN.search(w) and _CYRILLIC_LETTER.search(w))
    score = (covered + punct - slips) / len(odd)
    cyrillic = [c for c in lower if "\u0400" <= c <= "\u04ff"]
    if len(cyrillic) >= 8:
        score *= min(1.0, sum(c in CYRILLIC_FREQUENT for c in cyrillic) / len(cyrillic) / CYRILLIC_SHARE)
    return score


def _legacy_code_page(sample: bytes) -> str | None:
    """The code page of tables/code_pages.tsv whose reading of `sample` is most plausible (ties: the
    table's order), when that reading is plausible enough (PLAUSIBLE); else None."""
    best, best_score = None, PLAUSIBLE
    for page in code_pages():
        try:
            text = sample.decode(page)
        except UnicodeDecodeError:   # a byte the code page does not define: not this one
            continue
        score = plausibility(text, page)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = page, score
    return best


def _strict_utf8_multibyte(data: bytes) -> bool:
    """True when `data` is valid UTF-8 (a cut-off last character forgiven) with multi-byte characters."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 4 and exc.reason == "unexpected end of data"
    return True


def choose_encoding(data: bytes) -> tuple[str, str]:
    """(codec, how) for a file whose bytes (or first bytes) are `data`: how is 'bom', 'declared',
    'utf-8', 'detected' (tables/code_pages.tsv) or 'guessed' (charset-normalizer). See the module
    docstring for the order. Falls back to ('utf-8-sig', 'guessed') when nothing fits."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "bom"
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name, "bom"
    declared = declared_encoding(data)
    if declared and declared != "utf-8" and not _strict_utf8_multibyte(data[:SAMPLE_BYTES]):
        try:
            data[:SAMPLE_BYTES].decode(declared)
            return declared, "declared"
        except UnicodeDecodeError as exc:
            if exc.start >= min(len(data), SAMPLE_BYTES) - 4:
                return declared, "declared"
    sample = data[:SAMPLE_BYTES]
    if _strict_utf8_multibyte(sample) or sample.isascii():
        return "utf-8-sig", "utf-8"
    # UTF-8 with a few stray bytes — unless no byte forms a UTF-8 character at all and a code page
    # reads the text as words (a short Windows-1257 file has only a few non-ASCII bytes too)
    if _UTF8_MULTIBYTE.search(sample) and mostly_utf8(data):
        return "utf-8-sig", "utf-8"
    page = _legacy_code_page(sample)
    if page in (None, "cp1252") and mostly_utf8(data):
        # UTF-8 with a few stray bytes: they are read as Windows-1252 all the same, and their lines reported
        return "utf-8-sig", "utf-8"
    if page:
        return page, "detected"
    best = charset_normalizer.from_bytes(data[:SAMPLE_BYTES]).best()
    return (best.encoding, "guessed") if best is not None else ("utf-8-sig", "guessed")


_NAMES = {"cp1250": "Windows-1250", "cp1251": "Windows-1251", "cp1252": "Windows-1252", "cp1254": "Windows-1254",
          "cp1257": "Windows-1257", "koi8-r": "KOI8-R", "koi8-u": "KOI8-U", "utf-16": "UTF-16", "utf-32": "UTF-32"}


def encoding_label(codec: str, how: str | None = None) -> str | None:
    """How a report names an encoding ('Windows-1252 (detected)'), or None for UTF-8."""
    name = codecs.lookup(codec).name
    if name in ("utf-8", "utf-8-sig", "ascii"):
        return None
    shown = _NAMES.get(name, name)
    return f"{shown} ({how})" if how else shown


def _plain(encoding: str) -> str:
    """The codec that measures a line's bytes (no BOM written)."""
    e = codecs.lookup(encoding).name
    return {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(e, e)


class Lines:
    """The lines of a binary stream as NFC text, each ending in its line end ('\\r' ends become '\\n').

    raw: the stream; encoding: its codec (pick_encoding); newline: '\\n' or '\\r' (newline_of);
    head: the stream's first bytes (to count a BOM in byte offsets). Bytes invalid in `encoding` are
    repaired (see the module docstring); `problems` holds a RowError for each such line (at most
    MAX_PROBLEMS_KEPT, `bad_lines` counts them all) and `take_problems()` hands them over.
    Read about 1 MB at a time; an ASCII chunk passes untouched.
    """

    def __init__(self, raw: BinaryIO, encoding: str, newline: str = "\n", head: bytes = b""):
        self.raw, self.encoding, self.newline = raw, encoding, newline
        self.plain = _plain(encoding)
        self.narrow = self.plain not in ("utf-16-le", "utf-32-le")   # one byte per ASCII character
        self.label = "UTF-8" if self.plain == "utf-8" else encoding
        self.offset = next((len(b) for b in _BOMS if head.startswith(b)), 0) if encoding.startswith("utf") else 0
        self.line = 0
        self.bad_lines = 0
        self.problems: list[RowError] = []

    def __iter__(self) -> Iterator[str]:
        # Kept on self: a collected wrapper closes `raw`, whose position the caller reads for progress.
        self.text = io.TextIOWrapper(self.raw, encoding=self.encoding, errors="surrogateescape", newline=self.newline)
        while chunk := self.text.readlines(1 << 20):
            joined = "".join(chunk)
            ascii_only = joined.isascii()
            if not ascii_only:
                chunk = self._clean(chunk, _ESCAPED.search(joined) is not None)
            if self.newline == "\r":
                chunk = [ln[:-1] + "\n" if ln.endswith("\r") else ln for ln in chunk]
            self.offset += len(joined) if ascii_only and self.narrow else len(joined.encode(self.plain, "surrogateescape"))
            del joined   # not held while the chunk's lines are parsed: memory stays one chunk
            self.line += len(chunk)
            yield from chunk

    def _clean(self, chunk: list[str], escaped: bool) -> list[str]:
        if not escaped:
            return [ln if ln.isascii() else nfc(ln) for ln in chunk]
        out = []
        for i, ln in enumerate(chunk):
            m = _ESCAPED.search(ln)
            if m is None:
                out.append(ln if ln.isascii() else nfc(ln))
                continue
            out.append(nfc(ln.encode(self.plain, "surrogateescape").decode(self.plain, _REPAIR)))
            self._report(chunk, i, m.start())
        return out

    def _report(self, chunk: list[str], i: int, at: int) -> None:
        self.bad_lines += 1
        if len(self.problems) >= MAX_PROBLEMS_KEPT:
            return
        ln = chunk[i]
        before = "".join(chunk[:i]) + ln[:at]
        offset = self.offset + len(before.encode(self.plain, "surrogateescape"))
        bad = ln[at:].encode(self.plain, "surrogateescape")[:4]
        shown = " ".join(f"0x{b:02X}" for b in bad if b >= 0x80)
        self.problems.append(RowError(self.line + i + 1, None, f"bytes not valid {self.label} at byte offset "
                                      f"{offset} ({shown}) read as Windows-1252 (U+FFFD where it has no character); "
                                      "the rest of the line kept"))

    def take_problems(self) -> list[RowError]:
        """The problems found since the last call (and forget them)."""
        out, self.problems = self.problems, []
        return out


def decode_report(data: bytes, name: str = "file") -> tuple[str, list[RowError]]:
    """decode_whole without the encoding's label."""
    text, problems, _ = decode_whole(data, name)
    return text, problems


def decode_whole(data: bytes, name: str = "file") -> tuple[str, list[RowError], str | None]:
    """Decode a whole file to NFC text with '\\n' line ends, and the lines whose bytes were repaired.

    Also the encoding's label when it is not UTF-8 (encoding_label: 'Windows-1251 (declared)').
    UTF-8 with or without a BOM is read directly; UTF-8 with a few bad bytes line by line (see the
    module docstring); anything else in the encoding choose_encoding picks (a declaration, the
    plausible code page, else charset-normalizer). Raises FileError for an empty file or one that
    looks binary (NUL bytes, or no encoding fits).
    """
    if not data.strip():
        raise FileError("empty file")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("binary file (NUL bytes), not text")
    problems: list[RowError] = []
    label = None
    codec, how = choose_encoding(data)
    if how in ("bom", "declared", "detected") and codec != "utf-8-sig":
        text = data.decode(codec, errors="replace")
        label = encoding_label(codec, how)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            if mostly_utf8(data):
                newline = newline_of(data[:HEAD_CHARS].decode("utf-8", "replace"))
                lines = Lines(io.BytesIO(data), "utf-8-sig", newline, data[:4])
                text, problems = "".join(lines), lines.problems
            else:
                best = charset_normalizer.from_bytes(data).best()
                if best is None:
                    raise FileError("binary file or unknown text encoding") from None
                text = str(best)
                label = encoding_label(best.encoding, "guessed")
    return nfc(normalise_newlines(text)), problems, label


def decode(data: bytes, name: str = "file") -> str:
    """The NFC text of a whole file (decode_report without the repaired lines)."""
    return decode_report(data, name)[0]
