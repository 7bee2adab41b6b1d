"""Search of the measures' Chinese text by any substring of two characters or more.

Chinese has no spaces to split words on, and PostgreSQL's own tools do not help here: its text
search configurations split on spaces and punctuation, so a sentence would be one "word"; and
pg_trgm, though it does take CJK characters under this server's locale (C.UTF-8), gets no
trigram out of a two-character query (LIKE '%创业%'), so the commonest Chinese queries, a word of
two characters, would read every row of its index. So each measure keeps the distinct bigrams
(pairs of adjacent characters) of its folded text; a query's bigrams must all be among them
(on PostgreSQL a GIN index of `string_to_array(search_bigrams, ' ')` finds those rows), and the
candidates are then checked for the query itself with LIKE, which the folded text makes
case-blind on both databases. SQLite checks its few thousand rows with LIKE alone."""

import unicodedata

from sqlalchemy import ColumnElement, Text, and_, cast, func, literal_column
from sqlalchemy.dialects.postgresql import ARRAY, array

from app.publicity.models import PolicyMeasure

LINE = "\n"


def fold(text: str) -> str:
    """Full-width forms to half-width, lower case, runs of blanks to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def searchable(*parts: str | None) -> str:
    """The text a search reads: each part folded, one a line (no query spans two)."""
    return LINE.join(fold(part or "") for part in parts)


def bigrams(text: str) -> list[str]:
    """The distinct pairs of adjacent characters of each word of `text`, in order."""
    found: dict[str, None] = {}
    for word in text.split():
        for start in range(len(word) - 1):
            found[word[start : start + 2]] = None
    return list(found)


def _escaped(query: str) -> str:
    return query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches(query: str, dialect: str) -> ColumnElement[bool]:
    """The condition keeping the measures whose text holds `query` (folded)."""
    folded = fold(query)
    contains = PolicyMeasure.search_text.like(f"%{_escaped(folded)}%", escape="\\")
    pairs = bigrams(folded)
    if dialect != "postgresql" or not pairs:
        return contains
    # The very expression the index is of (a bound ' ' would not be matched to it).
    held = func.string_to_array(
        PolicyMeasure.search_bigrams, literal_column("' '"), type_=ARRAY(Text)
    )
    return and_(held.op("@>")(cast(array(pairs), ARRAY(Text))), contains)
