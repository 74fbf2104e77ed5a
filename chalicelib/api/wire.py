"""Wire types every capability shares: base models, the error shape, pages, names."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.shared.paging import (
    CURSOR_PATTERN,
    DEFAULT_PAGE_SIZE,
    MAX_CURSOR_LENGTH,
    MAX_PAGE_SIZE,
)


class Out(BaseModel):
    """Response models. Validators are compiled on first use, not at import (cold start)."""

    model_config = ConfigDict(defer_build=True)


class Strict(BaseModel):
    """Request models: unknown fields are an error (400 naming the field), never silently dropped."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # values are taken as sent, never trimmed


class ErrorBody(Out):
    code: str
    message: str
    details: object | None = None


class ErrorOut(Out):
    """The one error shape: {"error": {"code", "message", "details"}}."""

    error: ErrorBody


class SuccessOut(Out):
    success: bool = True


Cursor = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="The next_cursor of the previous page (opaque); a cursor not made by this list is a 400",
    ),
]


class PageQuery(Strict):
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE
    cursor: Cursor | None = None


NextCursor = Annotated[
    str | None, Field(description="Pass as ?cursor= to get the next page; null on the last page")
]
