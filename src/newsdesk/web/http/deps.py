"""Request-scoped access to the objects the app factory put on ``app.state``: the store,
the templates, and the site's name and public address (``site_of``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.web.presentation.images import Site


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def public_base(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")


def site_of(request: Request) -> Site:
    settings: Settings = request.app.state.settings
    return Site(settings.site_name, public_base(request))


StoreDep = Annotated[Store, Depends(get_store)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
