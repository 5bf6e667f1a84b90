"""The one shape of every API error, {"error": {"code", "message", "details"?}}, and how a
request's invalid parameters read, in that shape and in one line for an error page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def error_response(
    status_code: int,
    code: str,
    message: str,
    *,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status_code, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        where = loc[0] if len(loc) > 1 else "request"
        name = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
        details.append({"in": where, "field": name, "message": str(err.get("msg", "invalid"))})
    return details


def describe_errors(exc: RequestValidationError) -> str:
    """One line naming every bad parameter, e.g. "limit (query): Input should be ..."."""
    parts = [f"{d['field']} ({d['in']}): {d['message']}" for d in _field_errors(exc)]
    return "; ".join(parts) or "invalid request"


def validation_response(exc: RequestValidationError) -> JSONResponse:
    message = "invalid request: " + describe_errors(exc)
    return error_response(422, "invalid_request", message, details=_field_errors(exc))
