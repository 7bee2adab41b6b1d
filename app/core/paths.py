from typing import Annotated

from fastapi import Path

from app.core.schemas import MAX_ID

# A record id in a URL; out-of-range numbers are a 422, never a database overflow.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
