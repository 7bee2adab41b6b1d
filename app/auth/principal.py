"""Who is asking: a role, bound to a reach (the part of the country whose records it sees)."""

from dataclasses import dataclass

from app.core.enums import LabelledEnum


class Role(LabelledEnum):
    NATIONAL = "national", "教育部"
    PROVINCE = "province", "省级教育行政部门"
    UNIVERSITY = "university", "高校"
    READER = "reader", "只读（统计）"


# A role may give accounts and tokens its own role or one below it, never above.
RANK = {Role.READER: 0, Role.UNIVERSITY: 1, Role.PROVINCE: 2, Role.NATIONAL: 3}


@dataclass(frozen=True)
class Reach:
    """National (both None), a province, or a university (its province is set too)."""

    province: str | None = None
    university: str | None = None

    @property
    def is_national(self) -> bool:
        return self.province is None and self.university is None

    def covers(self, other: "Reach") -> bool:
        """Whether everything `other` reaches is within this reach."""
        if self.university is not None:
            return other.university == self.university
        if self.province is not None:
            return other.province == self.province
        return True

    def covers_university(self, code: str | None, province: str | None) -> bool:
        """A record of university `code` (None: a department's), in `province`."""
        if self.university is not None:
            return code == self.university
        return self.province is None or province == self.province

    def where(self, university_column, province_column) -> list:
        """SQL conditions keeping the records this reach covers, of a table whose records
        belong to `university_column` and are counted in `province_column`."""
        if self.university is not None:
            return [university_column == self.university]
        if self.province is not None:
            return [province_column == self.province]
        return []

    @property
    def label(self) -> str:
        if self.university is not None:
            return f"university:{self.university}"
        if self.province is not None:
            return f"province:{self.province}"
        return "national"


NATIONAL = Reach()


@dataclass(frozen=True)
class Principal:
    """An account signed in, or an API token."""

    kind: str  # "account" or "token"
    id: int
    name: str
    role: Role
    reach: Reach
    # An account's permission to reveal personal data in full (app/assistance/reveal.py).
    may_reveal_personal_data: bool = False

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"
