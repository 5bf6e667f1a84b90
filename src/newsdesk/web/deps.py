"""Request-scoped access to the objects the app factory put on ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from newsdesk.store.db import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


StoreDep = Annotated[Store, Depends(get_store)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
