"""A stand-in for app.statistics (the contract's dataclasses), so the report's own tests fix
their figures by hand and can change them after a report is stored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int
    denominator: int | None = None
    unknown: int = 0

    @property
    def share(self) -> float | None:
        return self.count / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Statistics:
    year_from: int
    year_to: int
    total: int
    by_award: tuple[Figure, ...]
    by_level: tuple[Figure, ...]
    by_subject_kind: tuple[Figure, ...]
    priority: tuple[Figure, ...]
    movements: tuple[Figure, ...]
    initiatives: int
    rule_sets: tuple[str, ...]
    notes: tuple[str, ...]


def sample(year: int) -> Statistics:
    """12 awards: 7 LĐTT and 5 Giấy khen, 8 to individuals (3 women, 2 of unknown ethnicity)."""
    return Statistics(
        year, year, 12,
        by_award=(Figure("award:LDTT", "Lao động tiên tiến", 7),
                  Figure("award:GK_CT", "Giấy khen của Chủ tịch UBND xã", 5)),
        by_level=(Figure("level:commune", "Cấp xã", 12),),
        by_subject_kind=(Figure("kind:individual", "Cá nhân", 8), Figure("kind:collective", "Tập thể", 4)),
        priority=(Figure("priority:women", "Nữ (trên số cá nhân được khen thưởng)", 3, 8),
                  Figure("priority:ethnic_minority", "Dân tộc thiểu số (trên số cá nhân được khen thưởng)",
                         0, 8, unknown=2),
                  Figure("priority:sudden", "Khen thưởng đột xuất", 1)),
        movements=(Figure("movements:launched", "Phong trào phát động", 2),
                   Figure("movements:reviewed", "Phong trào sơ kết", 1),
                   Figure("movements:closed", "Phong trào tổng kết", 1)),
        initiatives=3, rule_sets=("L2022-ND152",), notes=("2 cá nhân không rõ dân tộc.",))


def empty(year: int) -> Statistics:
    return Statistics(year, year, 0, (), (), (), (), (), 0, ("L2022-ND152",),
                      (f"Năm {year} chưa có số liệu khen thưởng.",))


@dataclass
class FakeStatistics:
    years: dict[int, Statistics] = field(default_factory=dict)

    def figures(self, year_from: int, year_to: int | None = None) -> Statistics:
        return self.years.get(year_from) or empty(year_from)
