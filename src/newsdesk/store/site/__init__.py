"""Queries on the reader site's tables (``site_models``), one module per kind of thing:
``accounts`` (users, sessions, counted attempts), ``apikeys``, ``comments``, ``outbox``
(mail), ``search_index`` (full-text search) and ``generation`` (the site's change counter).

The pipeline's tables are queried through ``repo``. Each module here keeps its record types
(``User``, ``Comment``, ``Mail`` ...) beside its queries, as ``repo`` does with
``StorySummary``: they are rows of the site, not records that the stages exchange
(``newsdesk.records``). Callers name the module (``comments.set_status``,
``outbox.enqueue``): these names only read clearly with it.
"""
