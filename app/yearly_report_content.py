"""What a yearly report (báo cáo kết quả công tác thi đua, khen thưởng năm YEAR) prints, as
plain data that round-trips through JSON.

A stored report keeps this content as canonical JSON with its SHA-256 (table
`stored_reports`): the figures from `app/statistics.py` and the parts of the commune setup the
page shows (issuing body, place, signer, date, recipients, the assessment paragraph). The PDF and
the Excel workbook are drawn from the stored content only, so a copy made later is the same
file even after the register or the commune setup has changed.

The provincial report template is UNCONFIRMED (docs: issue 8): the section titles and the
assessment paragraph follow common commune practice and the assessment is editable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.commune import CommuneSetup
from app.documents.nominees import commune_words

if TYPE_CHECKING:
    from app.statistics import Figure, Statistics

FORMAT = 1
KIND = "yearly"
RECIPIENTS = ("UBND tỉnh (qua Sở Nội vụ)", "Thường trực Đảng ủy, HĐND xã",
              "Chủ tịch, các Phó Chủ tịch UBND xã", "Hội đồng Thi đua - Khen thưởng xã",
              "Lưu: VT, TĐKT.")


@dataclass(frozen=True)
class ReportFigure:
    """One line of a table: the stored copy of an `app.statistics.Figure`."""

    key: str
    label: str
    count: int
    denominator: int | None = None
    unknown: int = 0

    @property
    def share(self) -> float | None:
        """count / denominator; None when there is no denominator or it is 0."""
        return self.count / self.denominator if self.denominator else None


@dataclass(frozen=True)
class ReportFigures:
    year_from: int
    year_to: int
    total: int
    by_award: tuple[ReportFigure, ...]
    by_level: tuple[ReportFigure, ...]
    by_subject_kind: tuple[ReportFigure, ...]
    priority: tuple[ReportFigure, ...]
    movements: tuple[ReportFigure, ...]
    initiatives: int
    rule_sets: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ReportPage:
    """The commune's side of the page, copied from the setup when the report is made."""

    issuing_body: tuple[str, ...]  # "ỦY BAN NHÂN DÂN", "XÃ PHƯỚC TÂN"
    issuer_symbol: str  # for the number line "Số: …/BC-UBND"
    place_name: str
    commune: str  # "xã Phước Tân", for sentences
    author: str  # "UBND Xã Phước Tân", the PDF's author
    day: date  # the date line
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]
    assessment: str


@dataclass(frozen=True)
class ReportContent:
    figures: ReportFigures
    page: ReportPage

    @property
    def period(self) -> str:
        """'năm 2025' or 'giai đoạn 2024 - 2025'."""
        figures = self.figures
        if figures.year_from == figures.year_to:
            return f"năm {figures.year_from}"
        return f"giai đoạn {figures.year_from} - {figures.year_to}"


def figures_of(statistics: Statistics) -> ReportFigures:
    """The report's copy of the statistics (the contract's fields, nothing else)."""
    def copied(figures: Sequence[Figure]) -> tuple[ReportFigure, ...]:
        return tuple(ReportFigure(f.key, f.label, f.count, f.denominator, f.unknown) for f in figures)

    return ReportFigures(
        statistics.year_from, statistics.year_to, statistics.total, copied(statistics.by_award),
        copied(statistics.by_level), copied(statistics.by_subject_kind), copied(statistics.priority),
        copied(statistics.movements), statistics.initiatives, tuple(statistics.rule_sets),
        tuple(statistics.notes))


def page_of(setup: CommuneSetup, day: date, figures: ReportFigures,
            assessment: str | None = None) -> ReportPage:
    """The page as the setup says today, with the prefilled assessment unless one is given."""
    chairman = setup.people("chairman")
    commune = commune_words(setup)
    return ReportPage(
        issuing_body=("ỦY BAN NHÂN DÂN", setup.issuing_body), issuer_symbol=setup.issuer_symbol,
        place_name=setup.place_name, commune=commune, author=f"UBND {setup.commune_name}", day=day,
        signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH",
        signer_name=chairman[0].full_name if chairman else "", recipients=RECIPIENTS,
        assessment=assessment.strip() if assessment and assessment.strip()
        else default_assessment(figures, commune))


def default_assessment(figures: ReportFigures, commune: str) -> str:
    """A short prefilled paragraph from the figures; the officer edits it before sending."""
    period = f"năm {figures.year_from}" if figures.year_from == figures.year_to else \
        f"giai đoạn {figures.year_from} - {figures.year_to}"
    if figures.total == 0:
        return (f"Trong {period}, cơ sở dữ liệu của Ủy ban nhân dân {commune} chưa ghi nhận danh hiệu "
                "thi đua, hình thức khen thưởng nào. Đề nghị rà soát, cập nhật đầy đủ kết quả khen "
                "thưởng để báo cáo chính xác.")
    shares = [f"{figure.label.lower()} chiếm {share_text(figure)}" for figure in figures.priority
              if figure.share is not None]
    text = (f"Công tác thi đua, khen thưởng {period} của {commune} được triển khai theo đúng quy định "
            f"của Luật Thi đua, khen thưởng; tổng số {figures.total} lượt danh hiệu thi đua, hình thức "
            "khen thưởng đã được trao.")
    if shares:
        text += " Trong đó " + "; ".join(shares) + "."
    return text + (" Việc khen thưởng đã chú trọng người lao động trực tiếp, cơ sở và các đối tượng "
                   "ưu tiên theo Chỉ thị số 41-CT/TW; cần tiếp tục phát hiện, khen thưởng kịp thời "
                   "các điển hình tiên tiến.")


def share_text(figure: ReportFigure) -> str:
    """'12,5%' (one decimal, Vietnamese comma); '–' when there is no denominator."""
    share = figure.share
    if share is None:
        return "–"
    return f"{share * 100:.1f}%".replace(".", ",")


def to_json(content: ReportContent) -> dict[str, object]:
    """The content as a plain dict for canonical JSON."""
    figures, page = content.figures, content.page

    def listed(items: Sequence[ReportFigure]) -> list[dict[str, object]]:
        return [{"key": f.key, "label": f.label, "count": f.count, "denominator": f.denominator,
                 "unknown": f.unknown} for f in items]

    return {
        "format": FORMAT,
        "kind": KIND,
        "figures": {
            "year_from": figures.year_from, "year_to": figures.year_to, "total": figures.total,
            "by_award": listed(figures.by_award), "by_level": listed(figures.by_level),
            "by_subject_kind": listed(figures.by_subject_kind), "priority": listed(figures.priority),
            "movements": listed(figures.movements), "initiatives": figures.initiatives,
            "rule_sets": list(figures.rule_sets), "notes": list(figures.notes),
        },
        "page": {
            "issuing_body": list(page.issuing_body), "issuer_symbol": page.issuer_symbol,
            "place_name": page.place_name, "commune": page.commune, "author": page.author,
            "day": page.day.isoformat(), "signer_authority": page.signer_authority,
            "signer_title": page.signer_title, "signer_name": page.signer_name,
            "recipients": list(page.recipients), "assessment": page.assessment,
        },
    }


def from_json(value: Mapping[str, object]) -> ReportContent:
    """The content back from its stored dict (as `to_json` wrote it)."""
    figures: Mapping = value["figures"]  # type: ignore[assignment]
    page: Mapping = value["page"]  # type: ignore[assignment]

    def listed(key: str) -> tuple[ReportFigure, ...]:
        return tuple(ReportFigure(str(f["key"]), str(f["label"]), int(f["count"]),
                                  None if f["denominator"] is None else int(f["denominator"]),
                                  int(f["unknown"])) for f in figures[key])

    return ReportContent(
        ReportFigures(int(figures["year_from"]), int(figures["year_to"]), int(figures["total"]),
                      listed("by_award"), listed("by_level"), listed("by_subject_kind"),
                      listed("priority"), listed("movements"), int(figures["initiatives"]),
                      tuple(figures["rule_sets"]), tuple(figures["notes"])),
        ReportPage(tuple(page["issuing_body"]), str(page["issuer_symbol"]), str(page["place_name"]),
                   str(page["commune"]), str(page["author"]), date.fromisoformat(page["day"]),
                   str(page["signer_authority"]), str(page["signer_title"]), str(page["signer_name"]),
                   tuple(page["recipients"]), str(page["assessment"])))
