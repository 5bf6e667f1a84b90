"""Bounded decoding of every accepted content-encoding, through a real loopback server."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard

from loopback_server import LoopbackServer, encoded_route
from newsdesk.ingest.decode import BoundedInflater, DecodeError
from newsdesk.ingest.fetch import Fetcher, FetchError
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio
TEXT = b"<p>" + b"the tide mill turns twice a day " * 400 + b"</p>"
ENCODERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": lambda data: brotli.compress(data, quality=4),
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


def make_fetcher(max_bytes: int = 5_000_000) -> Fetcher:
    settings = Settings(
        _env_file=None,
        allow_private_networks=True,
        obey_robots=False,
        fetch_max_bytes=max_bytes,
    )
    return Fetcher(settings)


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
async def test_every_accepted_encoding_is_decoded(server: LoopbackServer, encoding: str) -> None:
    server.routes["/page"] = encoded_route(ENCODERS[encoding](TEXT), encoding)
    async with make_fetcher() as fetcher:
        result = await fetcher.fetch(server.url("/page"))
    assert result.body == TEXT
    assert server.headers_seen[0]["accept-encoding"] == "gzip, deflate, br, zstd"


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
async def test_a_bomb_in_any_encoding_stops_at_the_cap(
    server: LoopbackServer, encoding: str
) -> None:
    bomb = ENCODERS[encoding](b"\0" * 30_000_000)  # a few KB that inflate to 30 MB
    assert len(bomb) < 100_000
    server.routes["/bomb"] = encoded_route(bomb, encoding)
    async with make_fetcher(max_bytes=1_000_000) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(server.url("/bomb"))
    assert caught.value.reason == "response larger than 1000000 bytes"


async def test_an_unknown_encoding_is_refused(server: LoopbackServer) -> None:
    server.routes["/odd"] = encoded_route(b"xx", "compress")
    async with make_fetcher() as fetcher:
        with pytest.raises(FetchError, match="unsupported content encoding 'compress'"):
            await fetcher.fetch(server.url("/odd"))


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
def test_a_corrupt_body_is_a_clear_error(encoding: str) -> None:
    inflater = BoundedInflater(encoding, 1_000_000)
    with pytest.raises(DecodeError, match=f"the {encoding} body is corrupt"):
        inflater.feed(b"this is not compressed at all, not in any way")
        inflater.finish()


def test_bodies_arriving_in_small_pieces_are_joined() -> None:
    packed = brotli.compress(TEXT)
    inflater = BoundedInflater("br", 1_000_000)
    for start in range(0, len(packed), 7):
        inflater.feed(packed[start : start + 7])
    assert inflater.finish() == TEXT
