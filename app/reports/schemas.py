from pydantic import BaseModel

from app.stats.schemas import Figures, Filters, Ranged


class WrittenFigures(BaseModel):
    """Each of the nine figures as the bulletin writes a number (23.6万余, 2600多)."""

    universities_visiting: str
    enterprises_visited: str
    visits: str
    positions_opened: str
    events: str
    employers_at_events: str
    attendances: str
    postings: str
    headcount: str


class Bulletin(Ranged):
    """The summary in the Ministry's words, and the figures it was written from."""

    text: str
    filters: Filters
    figures: Figures
    written: WrittenFigures


class Sentence(BaseModel):
    """One sentence of the report, and the figures it was written from."""

    text: str
    figures: dict[str, int | float | None]


class SectionedBulletin(Ranged):
    """The report's paragraphs that the records support, sentence by sentence: `supply` (the
    campaign's visits, events and vacancies), `policy` (policy positions, of the year `to`
    falls in), `matchmaking` (school–enterprise matchmaking, the sessions held within the range),
    or `all`."""

    section: str
    text: str
    filters: Filters
    sentences: list[Sentence]
