"""Local input files read as carefully as fetched pages: within the fetcher's byte cap.

The CLI reads pages (``.html``, ``.html.gz``), JSON Lines (``.jsonl``, ``.jsonl.gz``) and
WARC archives from disk. A gzip stream is inflated a bounded piece at a time, never past
the cap (a 1 MB gzip bomb is refused after reading the cap, not inflated to gigabytes);
a JSON Lines file is read a line at a time, each line at most the cap. Broken bytes (a
gzip stream cut short, text that is not UTF-8, a JSON string holding a lone surrogate,
binary data where a page was expected) are a :class:`LocalInputError` whose message
names the file, and the line where there is one.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from io import BufferedIOBase
from pathlib import Path
from typing import IO, Any, Protocol

from newsdesk.extract import ExtractionError

GZIP_MAGIC = b"\x1f\x8b"
READ_CHUNK = 1 << 16
BINARY_SAMPLE = 1 << 16
BINARY_SHARE = 0.01
"""A page whose first 64 KiB hold more than 1% control bytes is binary data, not text."""
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SURROGATE = re.compile("[\ud800-\udfff]")
GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
"""What a gzip stream cut short or corrupt raises while it is read (CheckedGzipFile turns
them into LocalInputError)."""


class LocalInputError(ValueError):
    """A local input breaks a rule (too large, cut short, not text): ``where`` names the
    file (and line), ``reason`` says why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def is_gzipped(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


class ByteLines(Protocol):
    """A binary stream read by lines (a file, a gzip file, stdin's bytes)."""

    def readline(self, size: int = -1, /) -> bytes: ...


class CheckedGzipFile(gzip.GzipFile):
    """A gzip file whose breaks raise LocalInputError: an EOFError would be taken for the
    end of the input by readers (warcio's), and what is cut short would go unnoticed."""

    def __init__(self, raw: IO[bytes], where: str) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self.where = where
        self._raw = raw
        self._broken: LocalInputError | None = None

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes; what was inflated before a break comes first, and the
        break is raised by the next read."""
        if self._broken is not None:
            raise self._broken
        if size is None or size < 0:
            return self._read_all()
        parts: list[bytes] = []
        while size > 0:
            try:
                piece = self.read1(size)
            except GZIP_ERRORS as error:
                self._broken = LocalInputError(self.where, describe_gzip_error(error))
                if parts:
                    break
                raise self._broken from None
            if not piece:
                break
            parts.append(piece)
            size -= len(piece)
        return b"".join(parts)

    def _read_all(self) -> bytes:
        try:
            return super().read()
        except GZIP_ERRORS as error:
            raise LocalInputError(self.where, describe_gzip_error(error)) from None

    def readline(self, size: int | None = -1) -> bytes:
        try:
            return super().readline(size)
        except GZIP_ERRORS as error:
            raise LocalInputError(self.where, describe_gzip_error(error)) from None

    def close(self) -> None:
        super().close()
        self._raw.close()  # GzipFile leaves a file object it was given open


def open_input(path: Path, *, sniff: bool = False) -> BufferedIOBase:
    """The bytes of ``path``, inflated when it is gzipped: by its ``.gz`` name, or with
    ``sniff`` by its first bytes. A gzip stream is inflated as it is read, in bounded steps."""
    raw = path.open("rb")
    gzipped = is_gzipped(path)
    if sniff:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
    return CheckedGzipFile(raw, str(path)) if gzipped else raw


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The whole (inflated) content of a plain or ``.gz`` file of at most ``max_bytes``.

    OSError when it cannot be opened; LocalInputError when it is larger than the cap or
    its gzip stream is broken.
    """
    with open_input(path) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        inflated = " once inflated" if is_gzipped(path) else ""
        raise LocalInputError(str(path), f"larger than {max_bytes} bytes{inflated}; not read")
    return data


def describe_gzip_error(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return "the gzip stream is cut short (the file is truncated)"
    return f"the gzip stream is corrupt ({error})"


Line = tuple[int, str | LocalInputError]
"""A line's number and its text, or why it cannot be read (the lines after it still can)."""


def read_lines(stream: ByteLines, where: str, max_bytes: int) -> Iterator[Line]:
    """The lines of a byte stream as UTF-8 text, each at most ``max_bytes`` long.

    A line over the cap is skipped without being held in memory, and a line that is not
    UTF-8 is reported; both come as a LocalInputError in place of the text. A gzip stream
    that breaks ends the lines with a LocalInputError raised.
    """
    number = 0
    try:
        while raw := stream.readline(max_bytes + 1):
            number += 1
            yield number, decode_line(stream, raw, f"{where}:{number}", max_bytes)
    except LocalInputError as error:
        after = f" after line {number}" if number else ""
        raise LocalInputError(where + after, error.reason) from None


def decode_line(stream: ByteLines, raw: bytes, where: str, max_bytes: int) -> str | LocalInputError:
    if len(raw) > max_bytes and not raw.endswith(b"\n"):
        skip_rest_of_line(stream)
        return LocalInputError(where, f"a line longer than {max_bytes} bytes; not read")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return LocalInputError(where, f"not UTF-8 text (byte {error.start + 1} of the line)")


def skip_rest_of_line(stream: ByteLines) -> None:
    while (piece := stream.readline(READ_CHUNK)) and not piece.endswith(b"\n"):
        continue


def parse_json_line(text: str, where: str) -> Any:
    """The JSON value of one line; LocalInputError if it is not JSON or not valid text."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise LocalInputError(where, f"not JSON ({error.msg})") from None
    except RecursionError:
        raise LocalInputError(where, "not JSON we read (nested too deeply)") from None
    surrogate = find_lone_surrogate(value)
    if surrogate is not None:
        raise LocalInputError(
            where,
            f"not valid text: a JSON string holds the lone surrogate \\u{ord(surrogate):04x}, "
            "which is no character",
        )
    return value


def find_lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in any string (or key) of a JSON value, or None.

    A ``"\\ud800"`` escape parses into a string no encoder can write: the database, the
    tokenizer and the output would each fail on it later.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                return found.group()
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def looks_binary(data: bytes) -> bool:
    """Binary data (random bytes, an image, an archive) rather than a text page.

    Pages in every text encoding but UTF-16 (which has a BOM, or is not read as text
    anyway) hold almost no control bytes; random bytes are one eighth control bytes.
    """
    sample = data[:BINARY_SAMPLE]
    if not sample or sample.startswith(_UTF16_BOMS):
        return False
    return len(_CONTROL_BYTES.findall(sample)) > BINARY_SHARE * len(sample)


def refuse_binary(data: bytes, where: str) -> None:
    """Refuse binary data as extraction refuses a page without an article."""
    if looks_binary(data):
        raise ExtractionError(f"no article text found in {where} (binary data, not a text page)")
