"""The bundled sample wire: invented source articles served on loopback.

The stories live in ``stories/NN-key.json`` (package data). Each holds several articles
about one invented event, written by different invented outlets, so that the pipeline
(ingest, extract, dedupe, cluster, write, verify) has realistic material to work on
without touching the network::

    from newsdesk.samplewire import load_wire, start_wire_server

    with start_wire_server() as wire:
        for url in wire.feed_urls():
            ...  # fetch and parse the RSS / Atom feed

Routes: ``/`` (index), ``/<outlet>/`` (home page with feed autodiscovery),
``/<outlet>/feed.xml`` (RSS 2.0 or Atom 1.0), ``/<outlet>/YYYY/MM/<slug>.html`` (article
page with realistic boilerplate), ``/feeds.opml``, ``/sitemap.xml`` and ``/robots.txt``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsdesk.samplewire.outlets import OUTLETS, OUTLETS_BY_SLUG, Outlet, get_outlet
from newsdesk.samplewire.server import WireServer, make_wire_server
from newsdesk.samplewire.wire import WireArticle, WireError, load_wire, parse_story

__all__ = [
    "OUTLETS",
    "OUTLETS_BY_SLUG",
    "Outlet",
    "WireArticle",
    "WireError",
    "WireServer",
    "get_outlet",
    "load_wire",
    "parse_story",
    "serve_wire",
    "start_wire_server",
]


def start_wire_server(
    host: str = "127.0.0.1",
    port: int = 0,
    articles: Sequence[WireArticle] | None = None,
    page_delay_s: float = 0.0,
) -> WireServer:
    """Serve the wire (or the given articles) from a daemon thread; ``port=0`` picks one.

    ``page_delay_s`` slows every article page, to imitate a slow publisher.
    Use as a context manager, or call ``.close()``.
    """
    wire = load_wire() if articles is None else articles
    server = make_wire_server(wire, host, port, page_delay_s)
    server.start()
    return server


def serve_wire(
    host: str = "127.0.0.1",
    port: int = 8765,
    on_ready: Callable[[WireServer], None] | None = None,
    page_delay_s: float = 0.0,
) -> None:
    """Serve the wire in the foreground until interrupted (Ctrl-C).

    ``on_ready`` is called with the bound server before serving (e.g. to print its URLs).
    """
    server = make_wire_server(load_wire(), host, port, page_delay_s)
    if on_ready is not None:
        on_ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
