"""Reading files of unknown encoding into NFC text (charset-normalizer does the detection)."""
from __future__ import annotations

import charset_normalizer

from ..textnorm import nfc
from .records import FileError


def decode(data: bytes, name: str = "file") -> str:
    """Decode `data` to NFC text.

    UTF-8 with or without a BOM is read directly; anything else is detected by
    charset-normalizer (Windows-1251, KOI8-R, Latin-1 …). Newlines become '\\n'.
    Raises FileError for an empty file or one that looks binary (NUL bytes, or no
    encoding fits).
    """
    if not data.strip():
        raise FileError("empty file")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise FileError("binary file or unknown text encoding") from None
        text = str(best)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text)
