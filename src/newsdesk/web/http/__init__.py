"""Request plumbing that the route modules share, none of it a route: the store and the
site from ``app.state`` (``deps``), sessions, CSRF, rate limits, rendering pages and
redirects (``render``), the API's error shape (``errors``), and the middleware the app
wraps around every request: the page cache, conditional GET (``conditional``,
``feed_dates``) and the body limit (``limits``)."""
