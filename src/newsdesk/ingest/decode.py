"""Bounded removal of a content-encoding (gzip, deflate, br, zstd).

httpx would inflate a whole network chunk at once, up to ~1000x its size for gzip and
far more for brotli or zstd; here every decoder is driven so that it never produces
much more than the cap, whatever the compression ratio.
"""

from __future__ import annotations

import zlib
from typing import Any, Protocol

import brotli
import zstandard

ACCEPT_ENCODING = "gzip, deflate, br, zstd"
# zstandard has no output bound per call; feeding it small slices bounds the output of one
# call (a zstd block inflates at most ~43000:1, so a 256-byte slice gives at most ~11 MB).
_ZSTD_SLICE = 256


class DecodeError(Exception):
    """The body breaks a rule (too large, corrupt, unknown encoding); the message says which."""


class _OverflowError(Exception):
    """A decoder has more output pending than the room it was given."""


class _Decoder(Protocol):
    def feed(self, data: bytes, room: int) -> bytes: ...
    def finish(self) -> bytes: ...


class BoundedInflater:
    """Removes a content-encoding while refusing to produce more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        self._encoding = encoding
        self._decoder = create_decoder(encoding)

    def feed(self, data: bytes) -> None:
        if self._decoder is None:
            self._add(data)
            return
        try:
            self._add(self._decoder.feed(data, self._limit - self._size + 1))
        except _OverflowError:
            raise DecodeError(f"response larger than {self._limit} bytes") from None
        except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
            raise DecodeError(f"the {self._encoding} body is corrupt ({exc})") from exc

    def finish(self) -> bytes:
        if self._decoder is not None:
            try:
                self._add(self._decoder.finish())
            except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
                raise DecodeError(f"the {self._encoding} body is corrupt ({exc})") from exc
        return b"".join(self._parts)

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise DecodeError(f"response larger than {self._limit} bytes")
        self._parts.append(data)


def create_decoder(encoding: str) -> _Decoder | None:
    """A bounded decoder for ``encoding``; None for identity."""
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return _ZlibDecoder(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _ZlibDecoder(zlib.MAX_WBITS, raw_fallback=True)
    if encoding == "br":
        return _BrotliDecoder()
    if encoding == "zstd":
        return _ZstdDecoder()
    raise DecodeError(f"unsupported content encoding {encoding!r}")


class _ZlibDecoder:
    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._zlib: Any = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._produced = False

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            # max_length: never inflate more than the room left, whatever the ratio.
            out: bytes = self._zlib.decompress(data, room)
        except zlib.error:
            # Some servers send raw deflate (no zlib header) for "deflate"; try that once.
            if not self._raw_fallback or self._produced:
                raise
            self._raw_fallback = False
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, room)
        self._produced = self._produced or bool(out)
        if self._zlib.unconsumed_tail:
            raise _OverflowError
        return out

    def finish(self) -> bytes:
        tail = bytes(self._zlib.flush())
        if not self._zlib.eof:
            raise zlib.error("the stream ended early")
        return tail


class _BrotliDecoder:
    def __init__(self) -> None:
        self._brotli = brotli.Decompressor()

    def feed(self, data: bytes, room: int) -> bytes:
        out: bytes = self._brotli.process(data, output_buffer_limit=room)
        if not self._brotli.can_accept_more_data():
            raise _OverflowError
        return out

    def finish(self) -> bytes:
        if not self._brotli.is_finished():
            raise brotli.error("the brotli stream ended early")
        return b""


class _ZstdDecoder:
    def __init__(self) -> None:
        self._zstd = zstandard.ZstdDecompressor().decompressobj()

    def feed(self, data: bytes, room: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        for start in range(0, len(data), _ZSTD_SLICE):
            piece: bytes = self._zstd.decompress(data[start : start + _ZSTD_SLICE])
            parts.append(piece)
            size += len(piece)
            if size > room:
                break
        return b"".join(parts)

    def finish(self) -> bytes:
        return b""
