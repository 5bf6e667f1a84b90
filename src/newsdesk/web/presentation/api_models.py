"""The JSON API's published contract: the bodies its routes answer, as pydantic models.

These models feed ``/api/openapi.json``. Most routes build their JSON by hand (or with
``Record.to_json``) and return it directly, so FastAPI does not check it against the
model; tests/test_web_schema.py does, by running schemathesis's response checks.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsdesk.records import Changes, SourceRef

# The routes send datetimes as ``isoformat()`` strings; the schema says what they are.
IsoTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class Strict(BaseModel):
    # additionalProperties: false, so a key added to a route but not here fails the tests.
    model_config = ConfigDict(extra="forbid")


class FieldError(Strict):
    where: str = Field(alias="in", description="query, path, body or header")
    field: str
    message: str


class ErrorInfo(Strict):
    code: str = Field(description="Stable, machine-readable: not_found, invalid_request, ...")
    message: str
    details: list[FieldError] | None = Field(
        default=None, description="Present on invalid_request: one item per bad parameter."
    )


class ErrorBody(Strict):
    """Every error the API answers, whatever its status."""

    error: ErrorInfo


class StorySummary(Strict):
    id: str
    headline: str
    standfirst: str
    version: int
    published_at: IsoTime
    source_count: int
    latest_source_at: IsoTime
    url: str


class StoryList(Strict):
    stories: list[StorySummary]
    limit: int
    offset: int
    next: str | None = Field(description="The next page's path, or null on the last page.")


class StorySources(Strict):
    story: str
    version: int
    sources: list[SourceRef]


class VersionSummary(Strict):
    version: int
    headline: str
    standfirst: str
    published_at: IsoTime
    sources: int
    changes: Changes | None
    url: str


class VersionList(Strict):
    story: str
    versions: list[VersionSummary]


class PublicComment(Strict):
    id: int
    parent_id: int | None
    author: str
    html: str = Field(description="Sanitized HTML.")
    created_at: IsoTime
    edited_at: IsoTime | None


class CommentList(Strict):
    comments: list[PublicComment]
    total: int
    limit: int
    offset: int


class SearchHit(Strict):
    id: str
    url: str
    headline: str
    headline_html: str
    snippet: str


class SearchResults(Strict):
    query: str
    page: int
    results: list[SearchHit]
    has_more: bool


class CreatedSource(Strict):
    id: int
    url: str
    allow_private: bool


class ReviewResult(Strict):
    story: str
    state: Literal["approved", "held", "unpublished"]
    version: int
    changed: int


# The ``responses=`` entries, by status. Each names only what a route can really answer.
Responses = dict[int | str, dict[str, Any]]


def error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Every route: FastAPI would otherwise document its own {"detail": [...]} 422 shape.
COMMON_ERRORS: Responses = {
    422: error("Invalid parameters or body (code invalid_request, with details)."),
    500: error("Internal error (code internal_error); no details are given."),
}
NOT_FOUND: Responses = {404: error("No such story or version (code not_found).")}
WRITE_ERRORS: Responses = {
    400: error("The body is not JSON (code bad_request)."),
    401: error("No valid API key (code unauthorized); sent with WWW-Authenticate."),
    413: error("The request body is over the size limit (code too_large)."),
}
MOVED: Responses = {
    301: {"description": "The story was merged into another; Location names the survivor."}
}
