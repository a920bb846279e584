"""Hand-made figures (app.statistics' dataclasses) for the report's own tests: they fix the
figures by hand and can change them after a report is stored. The figures counted from a
register are tested in test_statistics.py and, through the report, in test_yearly_report.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.statistics import Figure, Statistics


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
