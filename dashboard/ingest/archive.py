"""Reading `.zip` archives within one budget, the same for the CLI and the Import page.

A budget covers one archive given to the importer, with the archives inside it:

- total bytes unpacked (MAX_UNPACKED, 1 GiB; `import --max-unpacked` or $DASHBOARD_MAX_UNPACKED),
- entries (MAX_MEMBERS, counted from the end record before zipfile parses the central directory,
  whose objects would otherwise fill memory),
- nesting (MAX_DEPTH: an archive inside an archive is read; one inside that is refused),
- compression ratio per member (MAX_RATIO, once a member has unpacked RATIO_FLOOR bytes).

Everything is counted on the bytes actually inflated, while they stream through a counting reader
in chunks of CHUNK bytes: the sizes an archive declares are never trusted, and no member is held
in memory to be checked. Each member is measured (and hashed) in one pass before anything of it
is imported, so a refused member imports nothing; members before it stay imported, and the ones
after it are still read unless the total budget is spent (then the rest is refused unread, so a
thousand bombs cost one budget of work, not a thousand).
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

MAX_UNPACKED = 1024 ** 3
MAX_MEMBERS = 10_000
MAX_DEPTH = 1
# Text and event tables compress 3-10x (GDELT about 5x); a ratio past 100 is a bomb's signature.
MAX_RATIO = 100
RATIO_FLOOR = 1024 ** 2      # small members may compress arbitrarily well; they cost nothing
# Members other than event tables are parsed whole in memory (several times their size): no bigger
# than the Import page's default upload limit, so an archive lets in nothing a plain upload would not.
MAX_WHOLE_MEMBER = 200 * 1024 ** 2
CHUNK = 1 << 20
ENV_VAR = "DASHBOARD_MAX_UNPACKED"

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000 ** 2, "mb": 1000 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3,
          "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4, "tb": 1000 ** 4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


def parse_size(text: str) -> int:
    """Bytes from '1073741824', '2GiB', '500MB', '1.5 GiB' (KiB/MiB/GiB are powers of 1024, KB/MB/GB
    of 1000). Raises ValueError with a readable message for anything else, or for zero."""
    m = _SIZE.fullmatch(str(text))
    unit = m and _UNITS.get(m.group(2).lower())
    if not unit:
        raise ValueError(f"{text!r} is not a size (write e.g. 2GiB, 500MB or a number of bytes)")
    size = int(float(m.group(1)) * unit)
    if size <= 0:
        raise ValueError(f"{text!r}: the size must be more than 0 bytes")
    return size


def max_unpacked_setting() -> int:
    """The configured budget: $DASHBOARD_MAX_UNPACKED when set, else MAX_UNPACKED. Raises ValueError
    naming the variable when its value is not a size."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return MAX_UNPACKED
    try:
        return parse_size(value)
    except ValueError as exc:
        raise ValueError(f"{ENV_VAR}: {exc}") from None


def human(n: int) -> str:
    """A byte count as people read it: '1 GiB', '700.0 MiB', '5 bytes'."""
    for unit, size in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_big_to_read_whole(where: str, size: int) -> str:
    """Why member `where` of `size` bytes, not an event table, is refused."""
    return (f"refused: member {where} unpacks to {human(size)}; a member that is not an event table (GDELT, "
            f"ACLED, ICEWS) is read whole, so at most {human(MAX_WHOLE_MEMBER)}: split it or import it unpacked")


class Refusal(Exception):
    """A member (or a whole archive) that is not read; the message names the archive and the member."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


@dataclass
class Refused:
    """Yielded by members() for what is not imported: `name` is reported as failed with `message`."""
    name: str
    message: str


@dataclass
class Member:
    """A member that fits the budget: measured (size, sha256) and ready to be read again by open()."""
    name: str
    size: int
    sha256: str
    open: Callable[[], BinaryIO]


class Budget:
    """What one archive and the archives inside it may still unpack."""

    def __init__(self, archive: str, max_unpacked: int):
        self.archive = archive
        self.max_unpacked = max_unpacked
        self.used = 0
        self.members = 0
        self.spent_at: str | None = None   # the member that broke the total, when it happened

    def charge(self, where: str, member_bytes: int, new: int, packed: int) -> None:
        """Count `new` bytes just inflated from member `where` (member_bytes so far, packed bytes
        in the archive); raise Refusal when a limit is passed."""
        self.used += new
        if self.used > self.max_unpacked:
            self.spent_at = where
            raise Refusal(where, f"refused: archive {self.archive} unpacks to more than {human(self.max_unpacked)} "
                                 f"(the limit) at member {where}; raise it with --max-unpacked or {ENV_VAR}")
        if member_bytes > RATIO_FLOOR and member_bytes > MAX_RATIO * max(packed, 1):
            raise Refusal(where, f"refused: member {where} of archive {self.archive} unpacks to more than "
                                 f"{MAX_RATIO} times its packed size ({human(packed)}), as a zip bomb does")


class _Counted(io.RawIOBase):
    """A reader that reports every chunk it passes on to `on_bytes(total, new)`, which may raise."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int, int], None]):
        super().__init__()
        self._raw = raw
        self._on_bytes = on_bytes
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(min(len(buffer), CHUNK))
        n = len(data)
        buffer[:n] = data
        if n:
            self.count += n
            self._on_bytes(self.count, n)
        return n

    def tell(self) -> int:
        return self.count

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def _open_checked(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, size: int) -> BinaryIO:
    """Member `info` opened again after it was measured: reading past its measured size is refused."""
    def check(total: int, new: int) -> None:
        if total > size:
            raise Refusal(where, f"refused: member {where} changed since it was measured")
    return io.BufferedReader(_Counted(zf.open(info), check), CHUNK)


def _measure(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: Budget, packed: int,
             sink: BinaryIO | None = None) -> tuple[int, str]:
    """(size, sha256) of a member, read once in chunks through the budget; copied into `sink` if given.
    Raises Refusal for a limit passed and for a damaged, encrypted or unsupported member."""
    digest = hashlib.sha256()
    try:
        with _Counted(zf.open(info), lambda total, new: budget.charge(where, total, new, packed)) as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                if sink is not None:
                    sink.write(chunk)
            return f.count, digest.hexdigest()
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, zlib.error) as exc:
        raise Refusal(where, f"member {where} cannot be read: {exc}") from None


def declared_entries(fp: BinaryIO) -> int | None:
    """The number of entries an archive's end record declares (zip64 included), or None when there is
    no end record (zipfile then says it is not an archive). Read before zipfile parses the central
    directory, whose objects would otherwise fill memory for an archive of millions of entries."""
    fp.seek(0, 2)
    size = fp.tell()
    start = max(0, size - (65535 + 22))
    fp.seek(start)
    tail = fp.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries = struct.unpack("<H", tail[at + 10:at + 12])[0]
    locator = tail[at - 20:at] if at >= 20 else b""
    if entries == 0xFFFF and locator[:4] == b"PK\x06\x07":
        offset = struct.unpack("<Q", locator[8:16])[0]
        fp.seek(offset)
        record = fp.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            entries = struct.unpack("<Q", record[32:40])[0]
    return entries


def members(name: str, source: str | os.PathLike | BinaryIO, max_unpacked: int | None = None
            ) -> Iterator[Member | Refused]:
    """The members of archive `source` (a path or a seekable binary file), reported under
    `name`/member, each measured within one Budget before it is yielded (see the module docstring).

    Yields Member for what may be imported and Refused for what is not: the whole archive (not an
    archive, too many entries, an unreadable budget setting), one member (ratio, nesting, damage),
    or the rest of the archive once its budget is spent. max_unpacked: bytes, else
    max_unpacked_setting(). Never raises for bad input."""
    try:
        limit = max_unpacked if max_unpacked is not None else max_unpacked_setting()
    except ValueError as exc:
        yield Refused(name, f"archive not read: {exc}")
        return
    yield from _walk(name, source, Budget(name, limit), 0)


def _walk(name: str, source, budget: Budget, depth: int) -> Iterator[Member | Refused]:
    try:
        fp = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source
    except OSError as exc:
        yield Refused(name, f"cannot read: {exc.strerror or exc}")
        return
    try:
        entries = declared_entries(fp)
        left = MAX_MEMBERS - budget.members
        if entries is not None and entries > left:
            yield Refused(name, f"refused: archive {name} holds {entries} entries; at most {MAX_MEMBERS} are "
                                f"read from one archive (archives inside it included)")
            return
        try:
            zf = zipfile.ZipFile(fp)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            yield Refused(name, "not a valid zip archive")
            return
        with zf:
            yield from _entries(name, zf, budget, depth, fp.seek(0, 2))
    finally:
        if fp is not source:
            fp.close()


def _entries(name: str, zf: zipfile.ZipFile, budget: Budget, depth: int, archive_bytes: int
             ) -> Iterator[Member | Refused]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    for n, info in enumerate(infos):
        where = f"{name}/{info.filename}"
        if budget.spent_at is not None:
            left = len(infos) - n
            yield Refused(name, f"{left} more member{'s' if left > 1 else ''} of {name} not read: the archive's budget of "
                                f"{human(budget.max_unpacked)} was spent at {budget.spent_at}")
            return
        budget.members += 1
        if budget.members > MAX_MEMBERS:
            yield Refused(where, f"refused: archive {budget.archive} holds more than {MAX_MEMBERS} entries "
                                 f"(archives inside it included); member {where} and the rest are not read")
            return
        # A liar's declared packed size only makes the ratio look smaller; the archive's own size caps it.
        packed = min(info.compress_size, archive_bytes)
        if info.filename.lower().endswith(".zip"):
            yield from _nested(where, zf, info, budget, depth, packed)
            continue
        try:
            size, sha = _measure(zf, info, where, budget, packed)
        except Refusal as exc:
            yield Refused(where, str(exc))
            continue
        yield Member(where, size, sha, lambda info=info, where=where, size=size: _open_checked(zf, info, where, size))


def _nested(where: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, depth: int, packed: int
            ) -> Iterator[Member | Refused]:
    """An archive inside the archive: copied to an anonymous temporary file through the budget (a zip
    needs seeking), then read with the same budget, one level deeper."""
    if depth + 1 > MAX_DEPTH:
        yield Refused(where, f"refused: {where} is an archive inside an archive inside an archive "
                             f"(archive {budget.archive}); archives are read one level deep at most")
        return
    with tempfile.TemporaryFile(prefix="relations-zip-") as tmp:
        try:
            _measure(zf, info, where, budget, packed, sink=tmp)
        except Refusal as exc:
            yield Refused(where, str(exc))
            return
        tmp.seek(0)
        yield from _walk(where, tmp, budget, depth + 1)
