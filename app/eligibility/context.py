"""What every rule needs while judging one request, and the checks several rules share.

Principles of the domain reference (L2022 Điều 5 k2; NĐ 98/2023 Điều 4): no proposal while
a review is pending, nothing from before a discipline period ended, one achievement
rewarded once, thematic and sudden awards no basis for merit awards, maternity leave
counted as working time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.catalogue import AWARDS, DISCIPLINE_FORMS, RATINGS
from app.eligibility.outcome import Check, Status
from app.eligibility.request import CheckRequest
from app.eligibility.rule_sets import RuleSet
from app.eligibility.rule_settings import RuleSettings
from app.eligibility.snapshot import COUNTED_LEAVE, Leave, PastAward, SubjectSnapshot

RATING_ORDER = {"kht": 0, "ht": 1, "tot": 2, "htxs": 3}
SERIOUS_DISCIPLINE = frozenset({"canh_cao", "ha_bac_luong", "cach_chuc", "buoc_thoi_viec"})
MERIT_BASES = frozenset({"annual_duty", "contribution_period"})
# Titles that certify several consecutive years, and how many, when a record gives no start.
STREAK_YEARS = {"CSTD_TINH": 3, "CSTD_TQ": 6}


def label(code: str) -> str:
    return AWARDS[code].label


def years_text(years: list[int] | range) -> str:
    return ", ".join(str(year) for year in years)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def covered_years(award: PastAward) -> range:
    """The achievement years an award used up (L2022 Điều 5 k2: one achievement, one award)."""
    if award.period_start is None and award.award_code in STREAK_YEARS:
        return range(award.year - STREAK_YEARS[award.award_code] + 1, award.year + 1)
    return award.years


@dataclass
class Context:
    request: CheckRequest
    subject: SubjectSnapshot
    rule_set: RuleSet
    settings: RuleSettings

    @property
    def year(self) -> int:
        return self.request.period_end

    def principle(self, clause: int) -> str:
        """The source of a general principle (NĐ 98/2023 Điều 4, carried into NĐ 152/2025)."""
        if self.rule_set.is_old_law:
            return self.rule_set.decree
        return f"NĐ 98/2023/NĐ-CP Điều 4 k{clause}" + (
            " (NĐ 152/2025/NĐ-CP giữ nguyên tắc)" if self.rule_set.code == "2025-ND152" else "")

    def article(self, number: int, clause: str = "") -> str:
        """An article of the law in force, e.g. 'Luật 06/2022/QH15 Điều 23'. Under the old
        law the matching provision is named by its 2022 article, whose number and clauses
        the 2003 law need not share."""
        cited = f"Điều {number}{' ' + clause if clause else ''}"
        if self.rule_set.is_old_law:
            return f"{self.rule_set.law} (nội dung tương ứng Luật 06/2022/QH15 {cited})"
        return f"{self.rule_set.law} {cited}"

    # --- principles -------------------------------------------------------------------

    def pending_review(self, subject: SubjectSnapshot | None = None) -> Check:
        """No award and no proposal while a review, investigation or complaint is open (k4)."""
        subject = subject or self.subject
        decided = self.request.decision_date
        for item in subject.disciplines:
            open_on_date = item.ends_on is None or item.ends_on > decided
            if item.form == "pending" and item.decided_on <= decided and open_on_date:
                return Check("pending_review", Status.FAILED,
                             f"Đang bị xem xét kỷ luật, điều tra, thanh tra hoặc giải quyết khiếu nại "
                             f"(từ ngày {_d(item.decided_on)}): chưa được đề nghị, chưa được khen thưởng.",
                             self.principle(4))
        return Check("pending_review", Status.PASSED,
                     "Không đang bị xem xét kỷ luật, điều tra, thanh tra hay giải quyết khiếu nại.",
                     self.principle(4))

    def discipline_blocker(self, year: int, subject: SubjectSnapshot | None = None) -> tuple[Status, str]:
        """Whether `year` counts: only years that start after every discipline period ended (k4)."""
        subject = subject or self.subject
        for item in sorted(subject.disciplines, key=lambda d: d.decided_on):
            if item.form == "pending" or item.decided_on > self.request.decision_date:
                continue
            form = DISCIPLINE_FORMS[item.form].lower()
            if item.ends_on is None:
                return Status.UNKNOWN, (f"Thiếu ngày hết thời hạn kỷ luật {form} "
                                        f"(quyết định ngày {_d(item.decided_on)}).")
            if item.ends_on >= date(year, 1, 1):
                return Status.FAILED, (f"Năm {year} không được tính: kỷ luật {form} đến ngày "
                                       f"{_d(item.ends_on)}, thành tích chỉ tính từ khi hết thời hạn kỷ luật.")
        return Status.PASSED, ""

    def discipline_at(self, day: date) -> Check:
        """A single feat counts only after every discipline period ended before it (k4)."""
        for item in sorted(self.subject.disciplines, key=lambda d: d.decided_on):
            if item.form == "pending" or item.decided_on > day:
                continue
            form = DISCIPLINE_FORMS[item.form].lower()
            if item.ends_on is None:
                return Check("discipline", Status.UNKNOWN,
                             f"Thiếu ngày hết thời hạn kỷ luật {form} (quyết định ngày {_d(item.decided_on)}).",
                             self.principle(4))
            if item.ends_on >= day:
                return Check("discipline", Status.FAILED,
                             f"Thành tích ngày {_d(day)} trong thời hạn kỷ luật {form} (đến ngày "
                             f"{_d(item.ends_on)}), chưa được tính.", self.principle(4))
        return Check("discipline", Status.PASSED,
                     f"Thành tích ngày {_d(day)} không trong thời hạn kỷ luật nào.", self.principle(4))

    def discipline(self, years: list[int] | range) -> Check:
        for year in years:
            status, message = self.discipline_blocker(year)
            if status is not Status.PASSED:
                return Check("discipline", status, message, self.principle(4))
        return Check("discipline", Status.PASSED,
                     f"Không có kỷ luật ảnh hưởng đến thời gian xét (năm {years_text(years)}).",
                     self.principle(4))

    def once(self, code: str, years: list[int] | range,
             bases: frozenset[str] | None = None) -> Check:
        """One achievement is rewarded once: no earlier award of `code` over the same years.

        `bases` limits the earlier awards compared to those for the same kind of achievement
        (a Giấy khen for a sudden feat does not use up the year's regular work)."""
        basis = (f"{self.article(5, 'k2')}" if not self.rule_set.is_old_law
                 else f"{self.rule_set.law} Điều 6")
        wanted = set(years)
        for award in self.subject.awards:
            if award.award_code != code or award.revoked_on is not None:
                continue
            if bases is not None and award.basis_kind not in bases:
                continue
            shared = sorted(wanted & set(covered_years(award)))
            if shared:
                number = f" (quyết định {award.decision_number})" if award.decision_number else ""
                return Check("once", Status.FAILED,
                             f"Thành tích năm {years_text(shared)} đã được tặng {label(code)} "
                             f"năm {award.year}{number}; một thành tích chỉ khen một lần.", basis)
        return Check("once", Status.PASSED,
                     f"Thành tích năm {years_text(years)} chưa được tặng {label(code)}.", basis)

    def cited_bases(self) -> Check | None:
        """Awards the officer cites as the basis must not be thematic or sudden ones (k3)."""
        cited = self.request.facts.basis_award_uuids
        if not cited:
            return None
        known = {award.uuid: award for award in self.subject.awards if award.uuid}
        for uuid in cited:
            award = known.get(uuid)
            if award is None:
                return Check("basis_kind", Status.UNKNOWN,
                             f"Không tìm thấy khen thưởng {uuid} được nêu làm căn cứ trong lịch sử.",
                             self.principle(3))
            if award.revoked_on is not None:
                return Check("basis_kind", Status.FAILED,
                             f"{label(award.award_code)} năm {award.year} nêu làm căn cứ đã bị thu hồi ngày "
                             f"{_d(award.revoked_on)}.", self.rule_set.law if self.rule_set.is_old_law
                             else self.article(5, "k2"))
            if award.basis_kind not in MERIT_BASES:
                return Check("basis_kind", Status.FAILED, _not_a_basis(award), self.principle(3))
        return Check("basis_kind", Status.PASSED,
                     "Các khen thưởng nêu làm căn cứ đều là thành tích thường xuyên.", self.principle(3))

    def streak(self, code: str, years: range, source: str) -> Check:
        """`code` held in every one of `years`, none revoked, none thematic or sudden, none
        from before a discipline ended.

        A revoked title never counts, whatever the date of the revocation relative to the
        decision date: a check must not rely on a title known to have been withdrawn."""
        wanted = f"chuỗi {len(years)} năm liên tục {label(code)} ({years.start}–{years.stop - 1})"
        for year in years:
            problem = self.title_counts(code, year, wanted, source)
            if problem is not None:
                return problem
        return Check("streak", Status.PASSED, f"Đủ {wanted}.", source)

    def title_counts(self, code: str, year: int, wanted: str, source: str) -> Check | None:
        """None when `code` for `year` may serve as a basis; otherwise the failed check."""
        held = [a for a in self.subject.awards if a.award_code == code and a.year == year]
        valid = [a for a in held if a.revoked_on is None]
        if not valid:
            if held:
                message = (f"{label(code)} năm {year} đã bị thu hồi ngày {_d(held[0].revoked_on)} "
                           f"nên không được tính trong {wanted}.")  # type: ignore[arg-type]
            else:
                message = f"Thiếu năm {year} trong {wanted}."
            return Check("streak", Status.FAILED, message, source)
        if not any(a.basis_kind in MERIT_BASES for a in valid):
            return Check("streak", Status.FAILED, _not_a_basis(valid[0]), self.principle(3))
        status, message = self.discipline_blocker(year)
        if status is not Status.PASSED:
            return Check("streak", status, message, self.principle(4))
        return None

    # --- ratings and working time ------------------------------------------------------

    def rating_at_least(self, year: int, minimum: str, source: str,
                        subject: SubjectSnapshot | None = None, code: str = "rating") -> Check:
        subject = subject or self.subject
        rating = subject.rating_in(year)
        needed = RATINGS[minimum].lower()
        if rating is None:
            return Check(code, Status.UNKNOWN, f"Chưa có xếp loại năm {year} (cần {needed} trở lên).",
                         source)
        if RATING_ORDER[rating] >= RATING_ORDER[minimum]:
            return Check(code, Status.PASSED, f"Năm {year} xếp loại {RATINGS[rating].lower()}.", source)
        return Check(code, Status.FAILED,
                     f"Năm {year} xếp loại {RATINGS[rating].lower()}, chưa đạt mức {needed} trở lên.",
                     source)

    def working_time(self, year: int, source: str) -> Check:
        """Enough months worked in `year` (the < 6-month exclusion); counted leave is work (k5)."""
        minimum = int(self.settings.value("ldtt_min_months"))  # type: ignore[arg-type]
        start = self.subject.employment_start
        year_start, next_year = date(year, 1, 1), date(year + 1, 1, 1)
        if start is None:
            earlier = sorted(r.year for r in self.subject.ratings if r.year < year)
            if not earlier:
                return Check("working_time", Status.UNKNOWN,
                             f"Thiếu ngày tuyển dụng để tính thời gian công tác năm {year} "
                             f"(cần ít nhất {minimum} tháng).", source)
            begins = year_start
            since = f"Có xếp loại từ năm {earlier[0]} (chưa ghi ngày tuyển dụng): "
        else:
            begins = max(start, year_start)
            since = f"Tuyển dụng ngày {_d(start)}: " if start >= year_start else ""
            if begins >= next_year:
                return Check("working_time", Status.FAILED,
                             f"Tuyển dụng ngày {_d(start)}, sau năm {year}.", source)
        lost = _days_covered([leave for leave in self.subject.leaves if leave.kind not in COUNTED_LEAVE],
                             begins, next_year)
        counted = [leave for leave in self.subject.leaves if leave.kind in COUNTED_LEAVE
                   and _overlap_days(leave.starts_on, leave.ends_on, begins, next_year)]
        enough = _add_months(begins, minimum) + timedelta(days=lost) <= next_year
        months = _whole_months(begins, next_year - timedelta(days=lost))
        note = " (thời gian nghỉ thai sản, điều trị, đi học được tính là thời gian công tác)" if counted else ""
        if enough:
            worked = f"{since}công tác {months} tháng trong năm {year}" if since else (
                f"Công tác {months} tháng trong năm {year}")
            return Check("working_time", Status.PASSED, f"{worked}{note}.", source)
        unpaid = f", trừ {lost} ngày nghỉ không được tính" if lost else ""
        short = f"đến hết năm {year} mới công tác {months} tháng{unpaid}, chưa đủ {minimum} tháng."
        return Check("working_time", Status.FAILED, f"{since}{short}" if since else short[:1].upper() + short[1:],
                     source)


def _not_a_basis(award: PastAward) -> str:
    from app.catalogue import BASIS_KINDS

    kind = BASIS_KINDS.get(award.basis_kind, award.basis_kind).lower()
    return (f"{label(award.award_code)} năm {award.year} được tặng cho thành tích {kind}, "
            f"không dùng làm căn cứ đề nghị khen thưởng thành tích thường xuyên.")


def _overlap_days(start: date, end: date, window_start: date, window_end: date) -> int:
    """Days of [start, end] (inclusive) inside [window_start, window_end)."""
    first, last = max(start, window_start), min(end + timedelta(days=1), window_end)
    return max(0, (last - first).days)


def _days_covered(leaves: list[Leave], window_start: date, window_end: date) -> int:
    """Days inside [window_start, window_end) covered by any of `leaves`, overlaps counted once."""
    covered = 0
    reach = window_start
    for leave in sorted(leaves, key=lambda item: item.starts_on):
        first = max(leave.starts_on, reach)
        covered += _overlap_days(first, leave.ends_on, window_start, window_end) if first <= leave.ends_on else 0
        reach = max(reach, leave.ends_on + timedelta(days=1))
    return covered


def _add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _whole_months(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if end.day >= start.day else months - 1
