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
