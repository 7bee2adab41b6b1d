from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core.schemas import MAX_ID

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50

ItemT = TypeVar("ItemT")


class PageParams(BaseModel):
    limit: int
    offset: int


def _page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")
    ] = DEFAULT_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="Rows to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int


def paginate(session: Session, query: Select, page: PageParams) -> dict[str, Any]:
    """One page of `query` (already filtered and ordered), in the shape of `Page`."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.limit(page.limit).offset(page.offset)).all()
    return {"items": list(rows), "total": total or 0, "limit": page.limit, "offset": page.offset}
