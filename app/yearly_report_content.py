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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.commune import CommuneSetup
from app.documents.nominees import commune_words
from app.statistics import Figure, Statistics, percent_text

FORMAT = 1
KIND = "yearly"
RECIPIENTS = ("UBND tỉnh (qua Sở Nội vụ)", "Thường trực Đảng ủy, HĐND xã",
              "Chủ tịch, các Phó Chủ tịch UBND xã", "Hội đồng Thi đua - Khen thưởng xã",
              "Lưu: VT, TĐKT.")


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
    figures: Statistics  # as stored: Statistics.as_json() read back
    page: ReportPage

    @property
    def period(self) -> str:
        """'năm 2025' or 'giai đoạn 2024 - 2025'."""
        figures = self.figures
        if figures.year_from == figures.year_to:
            return f"năm {figures.year_from}"
        return f"giai đoạn {figures.year_from} - {figures.year_to}"


def page_of(setup: CommuneSetup, day: date, figures: Statistics,
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


def default_assessment(figures: Statistics, commune: str) -> str:
    """A short prefilled paragraph from the figures; the officer edits it before sending."""
    period = f"năm {figures.year_from}" if figures.year_from == figures.year_to else \
        f"giai đoạn {figures.year_from} - {figures.year_to}"
    if figures.total == 0:
        return (f"Trong {period}, cơ sở dữ liệu của Ủy ban nhân dân {commune} chưa ghi nhận danh hiệu "
                "thi đua, hình thức khen thưởng nào. Đề nghị rà soát, cập nhật đầy đủ kết quả khen "
                "thưởng để báo cáo chính xác.")
    text = (f"Công tác thi đua, khen thưởng {period} của {commune} được triển khai theo đúng quy định "
            f"của Luật Thi đua, khen thưởng; tổng số {figures.total} lượt danh hiệu thi đua, hình thức "
            "khen thưởng đã được trao (chi tiết tại mục II).")
    if any(figure.share is not None for figure in figures.priority):
        text += (" Tỷ lệ khen thưởng các nhóm đối tượng ưu tiên theo Chỉ thị số 41-CT/TW (công nhân, "
                 "nông dân, người lao động trực tiếp, phụ nữ, người dân tộc thiểu số, vùng khó khăn, "
                 "tập thể nhỏ) được nêu tại mục II.4.")
    return text + (" Thời gian tới, cần tiếp tục chú trọng khen thưởng người lao động trực tiếp, cơ sở "
                   "và phát hiện, khen thưởng kịp thời các điển hình tiên tiến.")


def share_text(figure: Figure) -> str:
    """'12,5%' (one decimal, Vietnamese comma); '–' when there is no denominator."""
    return "–" if figure.share is None else percent_text(figure.share)


def stored_json(figures: Mapping[str, object], page: ReportPage) -> dict[str, object]:
    """What a stored report keeps: `figures` is `Statistics.as_json()`, `page` the commune's side."""
    return {
        "format": FORMAT,
        "kind": KIND,
        "figures": dict(figures),
        "page": {
            "issuing_body": list(page.issuing_body), "issuer_symbol": page.issuer_symbol,
            "place_name": page.place_name, "commune": page.commune, "author": page.author,
            "day": page.day.isoformat(), "signer_authority": page.signer_authority,
            "signer_title": page.signer_title, "signer_name": page.signer_name,
            "recipients": list(page.recipients), "assessment": page.assessment,
        },
    }


def statistics_of(figures: Mapping) -> Statistics:
    """`Statistics.as_json()` read back."""
    def listed(key: str) -> tuple[Figure, ...]:
        return tuple(Figure(str(f["key"]), str(f["label"]), int(f["count"]),
                            None if f["denominator"] is None else int(f["denominator"]),
                            int(f["unknown"])) for f in figures[key])

    return Statistics(
        int(figures["year_from"]), int(figures["year_to"]), int(figures["total"]), listed("by_award"),
        listed("by_level"), listed("by_subject_kind"), listed("priority"), listed("movements"),
        int(figures["initiatives"]), tuple(figures["rule_sets"]), tuple(figures["notes"]))


def from_json(value: Mapping[str, object]) -> ReportContent:
    """The content back from what `stored_json` made."""
    page: Mapping = value["page"]  # type: ignore[assignment]
    return ReportContent(
        statistics_of(value["figures"]),  # type: ignore[arg-type]
        ReportPage(tuple(page["issuing_body"]), str(page["issuer_symbol"]), str(page["place_name"]),
                   str(page["commune"]), str(page["author"]), date.fromisoformat(page["day"]),
                   str(page["signer_authority"]), str(page["signer_title"]), str(page["signer_name"]),
                   tuple(page["recipients"]), str(page["assessment"])))
