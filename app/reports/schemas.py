from app.stats.schemas import Figures, Filters, Ranged


class Bulletin(Ranged):
    """The summary in the Ministry's words, and the figures it was written from."""

    text: str
    filters: Filters
    figures: Figures
