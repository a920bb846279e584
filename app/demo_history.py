"""The demo's history: yearly ratings, titles and awards, initiatives and discipline.

Planned after the register, from the same `rng`, over the people and units it planned.
Decisions get believable issuers, numbers and dates, and the law in force when signed.

The last years are worked through the emulation year's services instead (app/demo_year.py):
for those "flow years" this history keeps the ratings, initiatives and discipline the flow
reviews, and the households' Gia đình văn hóa (kept in bulk: hundreds of NĐ 86 assessments
would only repeat one step), but invents no other title or award, so no one holds a title
twice for a year; the villages' Thôn văn hóa of those years go through the flow.

Rated every year are the commune's staff and the người lao động, whom the checker counts
as rated staff: most «tốt», some «xuất sắc», a few «hoàn thành».
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from app.demo_names import weighted
from app.demo_register import Person, RegisterPlanner
from app.eligibility.individual_rules import RATED_STAFF
from app.history import AwardRecord, DisciplineRecord, HistoryRecord, InitiativeRecord, RatingRecord

REFORM_DATE = date(2025, 7, 1)  # two-tier reform: district powers move to the commune chairman
LAW_2022_FROM = date(2024, 1, 1)
LAW_2003 = "Luật Thi đua, khen thưởng năm 2003 (sửa đổi, bổ sung năm 2005, 2009, 2013)"
LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
# Rated every year (xếp loại chất lượng): the commune's cán bộ, công chức, viên chức, and
# người lao động, whom the checker counts as rated staff too (RATED_STAFF).
STAFF = ("can_bo", "cong_chuc", "vien_chuc")
RATED = tuple(sorted(RATED_STAFF))
assert set(STAFF) < RATED_STAFF
RATING_ODDS = {
    "strong": {"htxs": 75, "tot": 25},
    "normal": {"htxs": 8, "tot": 88, "ht": 4},
    "weak": {"tot": 45, "ht": 45, "kht": 10},
}
DISTRICT_POWERS = ("CSTDCS", "TTLDTT", "THON_VH")  # decided by the district chairman until the reform
NUMBERS_PER_DAY = {"commune": 3, "district": 15, "province": 25}  # for believable decision numbers
INITIATIVE_TITLES = {
    "school": ("Một số biện pháp rèn kỹ năng đọc cho học sinh lớp 1",
               "Ứng dụng trò chơi dân gian trong giáo dục trẻ mẫu giáo",
               "Nâng cao chất lượng dạy học môn Toán theo chương trình giáo dục phổ thông 2018",
               "Xây dựng thư viện xanh trong nhà trường",
               "Phối hợp với cha mẹ học sinh phòng, chống đuối nước cho trẻ"),
    "health": ("Nâng cao tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi",
               "Quản lý người bệnh tăng huyết áp tại cộng đồng",
               "Ứng dụng hồ sơ sức khỏe điện tử tại trạm y tế"),
    "other": ("Số hóa sổ hộ tịch lưu trữ tại {commune}",
              "Rút ngắn thời gian giải quyết thủ tục hành chính tại bộ phận một cửa",
              "Tuyên truyền chính sách, pháp luật qua nhóm Zalo của thôn, tổ dân phố",
              "Quản lý đối tượng bảo trợ xã hội trên bảng tính dùng chung",
              "Mô hình thu gom, phân loại rác thải sinh hoạt tại nguồn",
              "Nâng cao hiệu quả thu thuế sử dụng đất phi nông nghiệp"),
}


class HistoryPlanner:
    """Ratings, titles and awards, initiatives and discipline for the years up to last year.

    Titles follow the domain rules: LĐTT only with a rating of 'tốt' or better; CSTĐCS only
    on top of LĐTT with 'xuất sắc' (from 2024) or an initiative (always before 2024);
    TTLĐTT only when more than half the unit's members are LĐTT; a Bằng khen tỉnh only
    after two consecutive CSTĐCS; no title while a discipline runs.
    """

    def __init__(self, planner: RegisterPlanner, last: int | None = None,
                 flow_years: frozenset[int] = frozenset()) -> None:
        """History for `sizes.years` years up to `last` (default: last year); the titles and
        awards of `flow_years` are left to the emulation-year flow."""
        self.rng, self.place, self.today = planner.rng, planner.place, planner.today
        self.planner = planner
        self.people = planner.plan.people
        last = self.today.year - 1 if last is None else last
        self.years = list(range(last - planner.sizes.years + 1, last + 1))
        self.flow_years = flow_years
        self.bulk_years = [year for year in self.years if year not in flow_years]
        self.out: list[tuple[int, str, HistoryRecord]] = []
        self.decisions: dict[tuple[str, int, str], tuple[str, str, date]] = {}
        self.calendar: dict[int, int] = {}  # decision year -> days after 1 January used so far
        self.numbers: set[tuple[str, int, int]] = set()  # (issuer, year, number) taken
        self.ldtt: dict[int, set[int]] = {year: set() for year in self.years}
        self.cstdcs: dict[tuple[int, int], int] = {}  # (person id, year) -> index in out
        self.used: set[tuple[int, int]] = set()  # CSTĐCS years already used for a Bằng khen

    def build(self) -> list[tuple[int, str, HistoryRecord]]:
        if self.years:
            self._staff()
            self._others()
            self._provincial_awards()
            self._revocation()
            self._collectives()
            self._households()
            self._villages()
        return self.out

    def _staff(self) -> None:
        rng = self.rng
        rated = [p for p in self.people if p.employment in RATED]
        forced, no_titles = self._disciplines(rated)
        # One long-serving official excellent in every flow year, so the flow builds a
        # CSTĐCS streak that next year's checker sees, whatever the commune's size.
        punished = {person_id for person_id, _year in no_titles}
        star = next((p for p in rated if p.employment in STAFF and p.id not in punished
                     and p.start is not None and p.start < date(self.years[0], 1, 1)), None)
        if star is not None:
            forced.update({(star.id, year): "htxs" for year in self.flow_years})
        for person in rated:
            quality = weighted(rng, {"strong": 12, "normal": 82, "weak": 6})
            if person is star:
                quality = "strong"
            strong = quality == "strong"
            for year in self.years:
                if not works_in(person, year):
                    continue  # not yet working, or less than six months in that year
                rating = forced.get((person.id, year)) or weighted(rng, RATING_ODDS[quality])
                self.out.append((person.id, "individual", RatingRecord(year, rating)))
                if (person.id, year) in no_titles:
                    continue
                initiative = rating == "htxs" and rng.random() < (0.5 if strong else 0.2)
                if initiative:
                    self._initiative(person, year)
                if year in self.flow_years:
                    continue  # reviewed, voted and decided by the flow
                if rating not in ("htxs", "tot") or rng.random() > (0.99 if strong else 0.93):
                    continue
                self._award(person.id, "individual", "LDTT", year)
                self.ldtt[year].add(person.id)
                merit = initiative or (rating == "htxs" and year >= LAW_2022_FROM.year)
                if merit and rng.random() < (0.8 if strong else 0.5):
                    self.cstdcs[(person.id, year)] = self._award(person.id, "individual", "CSTDCS", year)
                elif rating == "htxs" and rng.random() < 0.3:
                    self._award(person.id, "individual", "GK_XA", year)

    def _disciplines(self, rated: list[Person]) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
        """A reprimand some years ago and a review opened this year; returns the years they cost."""
        rng = self.rng
        candidates = [p for p in rated if p.start and p.start < date(self.years[0], 1, 1)]
        if not candidates:
            return {}, set()
        chosen = rng.sample(candidates, min(2, len(candidates)))
        year = rng.choice(self.years[:-1] or self.years)
        decided = date(year, rng.randint(3, 9), rng.randint(1, 28))
        self.out.append((chosen[0].id, "individual", DisciplineRecord(
            "khien_trach", decided, decided + timedelta(days=365),
            "Vi phạm quy định về thời hạn giải quyết hồ sơ hành chính")))
        if len(chosen) > 1:
            new_year = date(self.today.year, 1, 1)
            opened = new_year + timedelta(days=rng.randrange((self.today - new_year).days + 1))
            self.out.append((chosen[1].id, "individual", DisciplineRecord(
                "pending", opened, None,
                "Đang xác minh đơn phản ánh; chưa xét khen thưởng đến khi có kết luận")))
        return {(chosen[0].id, year): "ht"}, {(chosen[0].id, year), (chosen[0].id, year + 1)}

    def _initiative(self, person: Person, year: int) -> None:
        kind = self.planner.kind_of_unit.get(self.planner.units.get(person.unit or ""), "other")
        titles = INITIATIVE_TITLES.get(kind, INITIATIVE_TITLES["other"])
        issuer, number, day = self._decision("initiative", year, "initiative")
        title = self.rng.choice(titles).format(commune=self.place.commune)
        self.out.append((person.id, "individual", InitiativeRecord(year, title, "base", issuer, number, day)))

    def _others(self) -> None:
        """Cooperative members may be LĐTT; a few adults get a Giấy khen (movement or feat)."""
        rng = self.rng
        for person in self.people:
            if person.employment in RATED:
                continue
            for year in self.bulk_years:
                if person.unit and person.start and person.start <= date(year, 6, 30) and rng.random() < 0.3:
                    self._award(person.id, "individual", "LDTT", year)
                    self.ldtt[year].add(person.id)
                elif year - person.birth.year >= 18 and rng.random() < 0.004:
                    basis = "sudden" if rng.random() < 0.15 else "thematic"
                    self._award(person.id, "individual", "GK_XA", year, basis)

    def _provincial_awards(self) -> None:
        """A Bằng khen tỉnh for (at most) two people with two consecutive CSTĐCS."""
        latest: dict[int, int] = {}
        for person_id, year in sorted(self.cstdcs):
            if (person_id, year - 1) in self.cstdcs:
                latest[person_id] = year
        for person_id in self.rng.sample(sorted(latest), min(2, len(latest))):
            year = latest[person_id]
            self._award(person_id, "individual", "BK_TINH", year, period_start=year - 1)
            self.used |= {(person_id, year), (person_id, year - 1)}

    def _revocation(self) -> None:
        """One CSTĐCS revoked later (L2022 Chương VII): it must not count toward a streak."""
        candidates = [index for key, index in sorted(self.cstdcs.items()) if key not in self.used]
        if not candidates:
            return
        index = self.rng.choice(candidates)
        subject_id, kind, award = self.out[index]
        assert isinstance(award, AwardRecord) and award.decision_date is not None
        revoked = min(award.decision_date + timedelta(days=self.rng.randint(90, 300)), self.today)
        self.out[index] = (subject_id, kind, replace(
            award, revoked_on=revoked,
            revoked_reason="Kê khai thành tích không trung thực; thu hồi theo kết luận kiểm tra"))

    def _collectives(self) -> None:
        rng = self.rng
        members: dict[int, list[Person]] = {}
        for person in self.people:
            if person.unit is not None:
                members.setdefault(self.planner.units[person.unit], []).append(person)
        for collective_id, _data in self.planner.plan.collectives:
            for year in self.bulk_years:
                if collective_id in members:
                    present = [p for p in members[collective_id] if p.start and p.start <= date(year, 6, 30)]
                    advanced = sum(p.id in self.ldtt[year] for p in present)
                    chance = 0.85 if present and advanced * 2 > len(present) else 0.0
                else:
                    chance = 0.35  # no member list kept: the officer's word is all we have
                if rng.random() < chance:
                    self._award(collective_id, "collective", "TTLDTT", year)
                elif rng.random() < 0.05:
                    self._award(collective_id, "collective", "GK_XA", year, "thematic")

    def _households(self) -> None:
        """Most households are 'Gia đình văn hóa'; a few get a Giấy khen after three years running."""
        rng = self.rng
        for household_id, data in self.planner.plan.households:
            if not data.members:
                continue
            run, honoured = 0, False
            for year in self.years:
                if rng.random() >= 0.86:
                    run = 0
                    continue
                self._award(household_id, "household", "GDVH", year)
                run += 1
                if run >= 3 and not honoured and rng.random() < 0.06:
                    self._award(household_id, "household", "GK_XA", year, period_start=year - 2)
                    honoured = True

    def _villages(self) -> None:
        """Thôn văn hóa most years; the flow years' go through the flow."""
        for village_id, _data in self.planner.plan.villages:
            for year in self.bulk_years:
                if self.rng.random() < 0.8:
                    self._award(village_id, "village", "THON_VH", year)
                elif self.rng.random() < 0.1:
                    self._award(village_id, "village", "GK_XA", year, "thematic")

    # decisions

    def _award(self, subject_id: int, kind: str, code: str, year: int, basis: str = "annual_duty",
               period_start: int | None = None) -> int:
        """Record an award and return its index in the plan."""
        issuer, number, day = self._decision(code, year, basis)
        self.out.append((subject_id, kind, AwardRecord(
            code, year, number, day, issuer, _legal_basis(day), basis, period_start)))
        return len(self.out) - 1

    def _decision(self, code: str, year: int, basis: str) -> tuple[str, str, date]:
        """Issuer, number and date of the decision; one decision covers a year's titles of a kind."""
        key = (code, year, basis)
        if basis == "sudden" or key not in self.decisions:
            self.decisions[key] = self._new_decision(code, year, basis)
        return self.decisions[key]

    def _new_decision(self, code: str, year: int, basis: str) -> tuple[str, str, date]:
        rng, level = self.rng, "commune"
        if code == "BK_TINH":
            day, level = date(year + 1, 4, 1) + timedelta(days=rng.randrange(90)), "province"
        elif basis == "sudden":
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        elif basis in ("thematic", "initiative"):
            day = date(year, 11, 1) + timedelta(days=rng.randrange(50))
        else:  # the year's titles are decided in January to March of the next year
            used = self.calendar.get(year + 1, rng.randint(3, 10))
            self.calendar[year + 1] = used + rng.randint(2, 9)
            day = date(year + 1, 1, 1) + timedelta(days=min(used, 88))
            if code in DISTRICT_POWERS and day < REFORM_DATE:
                level = "district"
        day = min(day, self.today)
        issuer = {"commune": self.place.commune_chairman, "district": self.place.district_chairman,
                  "province": self.place.province_chairman}[level]
        number = day.timetuple().tm_yday * NUMBERS_PER_DAY[level] + rng.randrange(NUMBERS_PER_DAY[level])
        while (issuer, day.year, number) in self.numbers:
            number += 1
        self.numbers.add((issuer, day.year, number))
        symbol = self.place.issuer_symbol if level == "commune" else "UBND"
        return issuer, f"{number}/QĐ-{symbol}", day


def works_in(person: Person, year: int) -> bool:
    """Worked at least half of `year`, so rated for it: from the start of employment when the
    register has it; a người lao động without one, from the year after they turned 18."""
    if person.start is not None:
        return person.start <= date(year, 6, 30)
    return person.employment == "nguoi_lao_dong" and year - person.birth.year > 18


def _legal_basis(decided_on: date) -> str:
    """The law in force when the decision was signed (kept per award, L2022 Điều 95)."""
    return LAW_2022 if decided_on >= LAW_2022_FROM else LAW_2003
