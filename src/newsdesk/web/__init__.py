"""The public site: server-rendered pages, feeds and a JSON API.

Each module at this level holds the routes of one page family: ``stories`` (front page,
story pages, error reports, the site's images), ``accounts`` (sign-up, sign-in, password
reset), ``comments``, ``desk`` (the editors' desk, with ``desk_edit``), ``sections``,
``search``, ``syndication`` (RSS, Atom, JSON Feed, sitemaps, robots.txt), ``versions``,
``api`` (the read-only JSON API) and ``apikeys`` (the API's writes). ``app`` builds the
application from them. What the routes share is in ``http/`` (request plumbing and
middleware) and ``presentation/`` (what pages and the API show).
"""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
