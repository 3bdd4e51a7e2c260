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
"""
from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO, Iterator

import charset_normalizer

from dashboard.analysis.textnorm import nfc
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
    """The encoding of a file whose first bytes are `head`: 'utf-8-sig' when it is UTF-8 but for a
    few bytes, else charset-normalizer's choice; None when the head looks binary (NUL bytes outside
    UTF-16) or empty."""
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not head.strip() or (b"\x00" in head and not utf16):
        return None
    if not utf16 and mostly_utf8(head):
        return "utf-8-sig"
    best = charset_normalizer.from_bytes(head).best()
    return best.encoding if best is not None else None


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
    """Decode a whole file to NFC text with '\\n' line ends, and the lines whose bytes were repaired.

    UTF-8 with or without a BOM is read directly; UTF-8 with a few bad bytes line by line (see the
    module docstring); anything else is detected by charset-normalizer (Windows-1251, KOI8-R,
    Latin-1 …). Raises FileError for an empty file or one that looks binary (NUL bytes, or no
    encoding fits).
    """
    if not data.strip():
        raise FileError("empty file")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("binary file (NUL bytes), not text")
    problems: list[RowError] = []
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
    return nfc(normalise_newlines(text)), problems


def decode(data: bytes, name: str = "file") -> str:
    """The NFC text of a whole file (decode_report without the repaired lines)."""
    return decode_report(data, name)[0]
