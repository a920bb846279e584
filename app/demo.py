"""A believable demo commune: people, collectives, households, villages and years of history.

For trying the program and for the benchmarks. Everything is drawn from one seeded
`random.Random`, so a seed always gives the same commune (UUIDs aside). The rows are
bulk-inserted in one transaction, but every subject passes `app.subjects.validate` and gets
its name, search text and sort key from the register's own functions, and every history
record passes `app.history.validate_record`, exactly as if it had been typed in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.errors import DomainError, ValidationError
from app.history import (
    AwardRecord,
    DisciplineRecord,
    HistoryRecord,
    InitiativeRecord,
    RatingRecord,
    validate_record,
)
from app.services import Services
from app.subjects import (
    CollectiveData,
    HouseholdData,
    IndividualData,
    MemberData,
    SubjectData,
    VillageData,
    display_name,
    search_text,
    sort_key,
    validate,
)
from db.models import (
    AnnualRating,
    Award,
    Collective,
    CollectiveMember,
    Discipline,
    Household,
    HouseholdMember,
    Individual,
    Initiative,
    Subject,
    Village,
)

Report = Callable[[int, int], None]

CHUNK = 2000  # rows per insert statement; report() is called between chunks
REFORM_DATE = date(2025, 7, 1)  # two-tier reform: district powers move to the commune chairman
LAW_2022_FROM = date(2024, 1, 1)
LAW_2003 = "Luật Thi đua, khen thưởng năm 2003 (sửa đổi, bổ sung năm 2005, 2009, 2013)"
LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"


class DemoRefusedError(DomainError):
    """The register already holds subjects; a demo must never mix with real data."""


@dataclass(frozen=True)
class DemoSizes:
    individuals: int = 2000
    collectives: int = 60
    households: int = 800
    villages: int = 12
    years: int = 5


@dataclass(frozen=True)
class DemoSummary:
    individuals: int
    collectives: int
    households: int
    villages: int
    years: int
    village_label: str = "thôn"
    ratings: int = 0
    awards: int = 0
    initiatives: int = 0
    disciplines: int = 0

    def __str__(self) -> str:
        return (f"{self.individuals} cá nhân, {self.collectives} tập thể, {self.households} hộ, "
                f"{self.villages} {self.village_label}, {self.years} năm lịch sử")


def build_demo(
    services: Services, sizes: DemoSizes = DemoSizes(), report: Report | None = None, seed: int = 2026
) -> DemoSummary:
    """Fill an empty register with a demo commune in one transaction; refuses a non-empty one."""
    for f in fields(sizes):
        if getattr(sizes, f.name) < 0:
            raise ValidationError("Số lượng dữ liệu mẫu không được âm.", f.name)
    place = _Place.of(services, random.Random(seed))
    with services.sessions.begin() as session:
        existing = session.scalar(select(func.count(Subject.id))) or 0
        if existing:
            raise DemoRefusedError(
                f"Sổ theo dõi đã có {existing} đối tượng. Dữ liệu mẫu chỉ được tạo trên một cơ sở "
                "dữ liệu trống, để không lẫn với dữ liệu thật."
            )
        first_id = (session.scalar(select(func.max(Subject.id))) or 0) + 1
        plan = _Planner(random.Random(seed), sizes, place, first_id).build()
        _write(session, plan, report or (lambda done, total: None))
    return plan.summary


# --- names and places ---------------------------------------------------------------------

# Weights roughly follow the national shares of family names (Nguyễn ~38%).
FAMILY_NAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 3.2, "Huỳnh": 2.3, "Phan": 4.5,
    "Vũ": 2.2, "Võ": 2.2, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 0.7, "Trương": 0.7, "Đào": 0.5, "Lâm": 0.5, "Mai": 0.5, "Đoàn": 0.5,
    "Trịnh": 0.5, "Lương": 0.4, "Cao": 0.4, "Hà": 0.4, "Tạ": 0.3, "Châu": 0.3, "Tô": 0.3,
    "Lưu": 0.3, "Vương": 0.3, "Thái": 0.3, "Phùng": 0.3, "Kiều": 0.2, "La": 0.2, "Triệu": 0.2,
}
MIDDLE_NAMES = {
    "male": {"Văn": 40, "Đức": 8, "Minh": 8, "Quốc": 6, "Hữu": 6, "Công": 5, "Thanh": 5, "Quang": 5,
             "Đình": 5, "Xuân": 4, "Ngọc": 4, "Tấn": 4, "Trọng": 4, "Hoàng": 3, "Anh": 2},
    "female": {"Thị": 55, "Ngọc": 8, "Thu": 6, "Thanh": 6, "Kim": 5, "Minh": 4, "Mỹ": 4, "Hồng": 4,
               "Phương": 3, "Bích": 3, "Thúy": 2, "Diệu": 2, "Khánh": 2},
}
SECOND_MIDDLE = ("Thu", "Ngọc", "Kim", "Mỹ", "Thanh", "Hồng", "Bích")
GIVEN_NAMES = {
    "male": ("An", "Anh", "Bình", "Cường", "Công", "Dũng", "Duy", "Đạt", "Định", "Đông", "Đức",
             "Dương", "Hải", "Hậu", "Hiếu", "Hòa", "Hùng", "Hưng", "Huy", "Khải", "Khánh", "Khoa",
             "Kiên", "Lâm", "Lộc", "Long", "Luân", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong",
             "Phúc", "Quân", "Quang", "Sang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh",
             "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ"),
    "female": ("An", "Anh", "Bích", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Đào", "Giang", "Hà",
               "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên",
               "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
               "Quyên", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thủy", "Trang", "Trinh", "Tuyết",
               "Uyên", "Vân", "Xuân", "Yến"),
}
# Ethnic groups of villages flagged as ethnic-minority areas, and their usual family names.
AREA_ETHNIC_GROUPS = {
    "Chơ Ro": ("Điểu", "Lâm"), "Xtiêng": ("Điểu", "Lâm", "Thị"), "Mạ": ("Điểu", "Hoàng"),
    "Khmer": ("Thạch", "Danh", "Sơn", "Kim", "Lâm"),
}
SCATTERED_ETHNIC_GROUPS = {
    "Hoa": ("Lâm", "Lý", "Trương", "Quách", "Hứa"), "Tày": ("Hoàng", "Nông", "Lương", "Hà"),
    "Nùng": ("Nông", "Hoàng", "Vi", "Lương"), "Mường": ("Bùi", "Đinh", "Quách"),
}
RELIGIONS = {"Không": 72, "Phật giáo": 14, "Công giáo": 10, "Cao Đài": 2, "Tin Lành": 1.5,
             "Phật giáo Hòa Hảo": 0.5}
# Where people were born: province names as on their papers, with the code their ID starts with.
BIRTH_PROVINCES = (("Hà Nội", 1), ("Thái Bình", 34), ("Nam Định", 36), ("Thanh Hóa", 38),
                   ("Nghệ An", 40), ("Hà Tĩnh", 42), ("Quảng Bình", 44), ("Quảng Ngãi", 51),
                   ("Bình Định", 52), ("Bình Phước", 70), ("Tây Ninh", 72), ("Bình Dương", 74),
                   ("Thành phố Hồ Chí Minh", 79), ("Long An", 80))
PLACE_WORDS = ("An", "Bình", "Phú", "Hòa", "Tân", "Phước", "Long", "Thạnh", "Hưng", "Mỹ", "Lộc",
               "Thuận", "Xuân", "Đông", "Tây", "Trung", "Thành", "Lợi", "Hiệp", "Vĩnh", "Khánh",
               "Thịnh", "Đức", "Nghĩa", "Sơn", "Hải", "Lạc", "Hậu", "Cát", "Quới")

# Collectives every commune has: key, name pattern, kind, parent key.
CORE_COLLECTIVES = (
    ("party", "Đảng ủy {commune}", "agency", None),
    ("council", "Hội đồng nhân dân {commune}", "agency", None),
    ("ubnd", "Ủy ban nhân dân {commune}", "agency", None),
    ("office", "Văn phòng HĐND và UBND {commune}", "department", "ubnd"),
    ("economy", "Phòng Kinh tế {commune}", "department", "ubnd"),
    ("culture", "Phòng Văn hóa - Xã hội {commune}", "department", "ubnd"),
    ("service", "Trung tâm Phục vụ hành chính công {commune}", "department", "ubnd"),
    ("military", "Ban Chỉ huy quân sự {commune}", "department", "ubnd"),
    ("front", "Ủy ban Mặt trận Tổ quốc Việt Nam {commune}", "organisation", None),
    ("women", "Hội Liên hiệp Phụ nữ {commune}", "organisation", "front"),
    ("farmers", "Hội Nông dân {commune}", "organisation", "front"),
    ("veterans", "Hội Cựu chiến binh {commune}", "organisation", "front"),
    ("youth", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {commune}", "organisation", "front"),
    ("health", "Trạm Y tế {commune}", "health", None),
    ("kindergarten", "Trường Mầm non {place}", "school", "ubnd"),
    ("primary", "Trường Tiểu học {place}", "school", "ubnd"),
    ("secondary", "Trường Trung học cơ sở {place}", "school", "ubnd"),
    ("primary_2", "Trường Tiểu học {place}", "school", "ubnd"),
    ("coop", "Hợp tác xã Nông nghiệp {place}", "cooperative", None),
    ("coop_2", "Hợp tác xã Dịch vụ tổng hợp {place}", "cooperative", None),
    ("firm", "Công ty TNHH May mặc {place}", "enterprise", None),
)
# Village-level collectives, one of each per village: name pattern, kind, parent key.
VILLAGE_COLLECTIVES = (
    ("Chi hội Phụ nữ {village}", "organisation", "women"),
    ("Chi hội Nông dân {village}", "organisation", "farmers"),
    ("Chi đoàn {village}", "organisation", "youth"),
    ("Tổ bảo vệ an ninh, trật tự {village}", "team", None),
    ("Chi hội Cựu chiến binh {village}", "organisation", "veterans"),
    ("Tổ hòa giải {village}", "team", "front"),
)
# Posts of cán bộ (elected or appointed), with the collective they belong to.
CAN_BO_POSTS = (
    ("Bí thư Đảng ủy", "party"), ("Chủ tịch Ủy ban nhân dân", "ubnd"),
    ("Phó Bí thư Thường trực Đảng ủy", "party"), ("Chủ tịch Hội đồng nhân dân", "council"),
    ("Phó Chủ tịch Ủy ban nhân dân", "ubnd"), ("Phó Chủ tịch Ủy ban nhân dân", "ubnd"),
    ("Chủ tịch Ủy ban Mặt trận Tổ quốc", "front"), ("Phó Chủ tịch Hội đồng nhân dân", "council"),
    ("Chủ tịch Hội Liên hiệp Phụ nữ", "women"), ("Chủ tịch Hội Nông dân", "farmers"),
    ("Chủ tịch Hội Cựu chiến binh", "veterans"), ("Bí thư Đoàn Thanh niên", "youth"),
    ("Phó Chủ tịch Ủy ban Mặt trận Tổ quốc", "front"),
)
CONG_CHUC_UNITS = ("office", "economy", "culture", "service", "military")
CONG_CHUC_HEADS = {"office": ("Chánh Văn phòng", "Phó Chánh Văn phòng"),
                   "service": ("Giám đốc", "Phó Giám đốc"),
                   "military": ("Chỉ huy trưởng", "Chỉ huy phó")}
HEALTH_TITLES = ("Bác sĩ", "Y sĩ", "Điều dưỡng", "Dược sĩ", "Hộ sinh")
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


@dataclass(frozen=True)
class _Place:
    """How the commune, its villages and the signers above it are named."""

    commune: str  # "xã Phước An", as it appears inside other names
    village_kind: str
    village_word: str  # "Thôn" or "Tổ dân phố"
    province: str  # "tỉnh Đồng Nai"
    province_name: str
    province_code: int
    issuer_symbol: str
    district_chairman: str

    @property
    def commune_chairman(self) -> str:
        return f"Chủ tịch UBND {self.commune}"

    @property
    def province_chairman(self) -> str:
        return f"Chủ tịch UBND {self.province}"

    @classmethod
    def of(cls, services: Services, rng: random.Random) -> _Place:
        setup = services.commune.get()
        district = f"Chủ tịch UBND huyện {' '.join(rng.sample(PLACE_WORDS, 2))}"
        if setup is None:
            return cls("xã Phước An", "thon", "Thôn", "tỉnh Đồng Nai", "Đồng Nai", 75, "UBND", district)
        from app import divisions

        province = divisions.province(setup.province_code)
        province_word = "thành phố" if province and province.kind.startswith("thành phố") else "tỉnh"
        urban = setup.commune_kind == "phường"
        return cls(
            commune=f"{setup.commune_kind} {setup.place_name}",
            village_kind="to_dan_pho" if urban else "thon",
            village_word="Tổ dân phố" if urban else "Thôn",
            province=f"{province_word} {setup.province_name}",
            province_name=setup.province_name,
            province_code=setup.province_code,
            issuer_symbol=setup.issuer_symbol,
            district_chairman=district,
        )


# --- the plan: every row to write, with ids assigned up front ------------------------------


@dataclass
class _Person:
    gender: str
    birth: date
    family: str
    village: tuple[int, str] | None
    ethnicity: str = "Kinh"
    religion: str = "Không"
    name: str = ""
    employment: str = "other"
    job_title: str = ""
    unit: str | None = None  # key of the collective the person works in
    start: date | None = None
    citizen_id: str | None = None
    home_town: str = ""
    direct_labour: bool = False
    id: int = 0  # given once the register order is known

    def age(self, on: date) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))


@dataclass
class _Family:
    head: _Person
    spouse: _Person | None = None
    children: list[_Person] = field(default_factory=list)

    @property
    def members(self) -> list[_Person]:
        return [self.head, *([self.spouse] if self.spouse else []), *self.children]

    def parent(self, gender: str) -> _Person:
        if self.spouse is not None and self.spouse.gender == gender:
            return self.spouse
        return self.head


@dataclass
class _Plan:
    villages: list[tuple[int, VillageData]] = field(default_factory=list)
    collectives: list[tuple[int, CollectiveData]] = field(default_factory=list)
    individuals: list[tuple[int, IndividualData]] = field(default_factory=list)
    households: list[tuple[int, HouseholdData]] = field(default_factory=list)
    memberships: list[dict[str, object]] = field(default_factory=list)
    history: list[tuple[int, str, HistoryRecord]] = field(default_factory=list)
    summary: DemoSummary | None = None


class _Planner:
    def __init__(self, rng: random.Random, sizes: DemoSizes, place: _Place, first_id: int) -> None:
        self.rng = rng
        self.sizes = sizes
        self.place = place
        self.today = date.today()
        self.next_id = first_id
        self.plan = _Plan()
        self.units: dict[str, int] = {}  # core collective key -> id
        self.kind_of_unit: dict[int, str] = {}
        self.citizen_ids: set[str] = set()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def build(self) -> _Plan:
        villages = self._villages()
        self._collectives(villages)
        people = self._people(villages)
        self._staff(people)
        self._workers(people)
        self.plan.individuals = [(p.id, self._individual(p)) for p in people]
        self.plan.memberships = [
            {"collective_id": self.units[p.unit], "individual_id": p.id, "joined_on": p.start}
            for p in people if p.unit is not None
        ]
        self.plan.history = _HistoryPlanner(self, people).build()
        kinds = [type(r) for _, _, r in self.plan.history]
        self.plan.summary = DemoSummary(
            len(people), len(self.plan.collectives), len(self.plan.households), len(villages),
            self.sizes.years, self.place.village_word.lower(), kinds.count(RatingRecord),
            kinds.count(AwardRecord), kinds.count(InitiativeRecord), kinds.count(DisciplineRecord),
        )
        return self.plan

    # villages and collectives

    def _villages(self) -> list[tuple[int, VillageData]]:
        n, word = self.sizes.villages, self.place.village_word
        names: list[str] = []
        if self.place.village_kind == "thon":
            pairs = _place_names()
            names = [f"{word} {pair}" for pair in self.rng.sample(pairs, min(n, len(pairs)))]
        names += [f"{word} {i}" for i in range(len(names) + 1, n + 1)]
        ethnic = set(self.rng.sample(range(n), round(n * 0.1) if n >= 3 else 0))
        difficult = ethnic | set(self.rng.sample(range(n), round(n * 0.1)))
        self.plan.villages = [
            (self.new_id(), VillageData(name, self.place.village_kind, i in difficult, i in ethnic))
            for i, name in enumerate(names)
        ]
        self.village_data = dict(self.plan.villages)
        return self.plan.villages

    def _collectives(self, villages: Sequence[tuple[int, VillageData]]) -> None:
        n, commune = self.sizes.collectives, self.place.commune
        places = self.rng.sample(_place_names(), len(CORE_COLLECTIVES))
        for (key, pattern, kind, parent), place in zip(CORE_COLLECTIVES[:n], places):
            if key == "economy" and self.place.village_kind == "to_dan_pho":
                pattern = "Phòng Kinh tế, Hạ tầng và Đô thị {commune}"
            name = pattern.format(commune=commune, place=place)
            self.units[key] = self._add_collective(CollectiveData(name, kind, self.units.get(parent)))
        places = [(i, self._inside(d.name)) for i, d in villages] or [(None, commune)]
        for i in range(max(0, n - len(CORE_COLLECTIVES))):
            village_id, village = places[i % len(places)]
            round_ = i // len(places)
            if round_ < len(VILLAGE_COLLECTIVES):
                pattern, kind, parent = VILLAGE_COLLECTIVES[round_]
            else:
                pattern = f"Tổ hợp tác số {round_ - len(VILLAGE_COLLECTIVES) + 1} {{village}}"
                kind, parent = "team", None
            self._add_collective(
                CollectiveData(pattern.format(village=village), kind, self.units.get(parent), village_id)
            )

    def _add_collective(self, data: CollectiveData) -> int:
        subject_id = self.new_id()
        self.plan.collectives.append((subject_id, data))
        self.kind_of_unit[subject_id] = data.collective_kind
        return subject_id

    def _inside(self, village_name: str) -> str:
        """'Thôn Phú Hòa' as it reads inside another name: 'thôn Phú Hòa'."""
        return village_name[:1].lower() + village_name[1:]

    # people and households

    def _people(self, villages: Sequence[tuple[int, VillageData]]) -> list[_Person]:
        """Families first (head, spouse, children), then people living on their own."""
        rng, budget = self.rng, self.sizes.individuals
        weights = [rng.uniform(0.5, 1.5) for _ in villages]
        families = [self._family(villages, weights) for _ in range(self.sizes.households)]
        registered = families[:budget]  # with fewer people than households, some heads are off the register
        budget -= len(registered)
        for family in registered:
            if budget and rng.random() < 0.82 and family.head.age(self.today) < 85:
                family.spouse = self._spouse(family.head)
                budget -= 1
        growing = list(registered)
        while budget and growing:
            rng.shuffle(growing)
            growing = [f for f in growing if len(f.children) < 4 and self._can_have_child(f)]
            for family in growing[:budget]:
                family.children.append(self._child(family))
            budget -= min(budget, len(growing))
        loners = [
            self._person(rng.choice(("male", "female")), self.today.year - rng.randint(22, 60),
                         _weighted(rng, FAMILY_NAMES), rng.choice(villages)[0] if villages else None)
            for _ in range(budget)
        ]
        people = [p for family in registered for p in family.members] + loners
        for person in people:
            person.id = self.new_id()
        for index, family in enumerate(families):
            self._household(family, on_register=index < len(registered))
        return people

    def _family(self, villages: Sequence[tuple[int, VillageData]], weights: list[float]) -> _Family:
        rng = self.rng
        village = rng.choices(villages, weights)[0][0] if villages else None
        ethnicity, family_names = self._ethnic_group(village)
        religion = "Phật giáo" if ethnicity == "Khmer" else _weighted(rng, RELIGIONS)
        gender = "male" if rng.random() < 0.75 else "female"
        birth_year = self.today.year - int(rng.triangular(24, 86, 47))
        family_name = rng.choice(family_names) if ethnicity != "Kinh" else _weighted(rng, FAMILY_NAMES)
        return _Family(self._person(gender, birth_year, family_name, village, ethnicity, religion))

    def _spouse(self, head: _Person) -> _Person:
        rng = self.rng
        if head.gender == "male":
            gender, year = "female", head.birth.year + rng.randint(0, 7)
        else:
            gender, year = "male", head.birth.year - rng.randint(0, 6)
        family_name = _weighted(rng, FAMILY_NAMES) if head.ethnicity == "Kinh" else head.family
        return self._person(gender, min(year, self.today.year - 20), family_name, head.village,
                            head.ethnicity, head.religion)

    def _child_years(self, family: _Family) -> tuple[int, int]:
        """Birth years a child can have: mother aged 19 to 42, child at least 6 today."""
        mother = family.parent("female").birth.year
        return mother + 19, min(mother + 42, self.today.year - 6)

    def _can_have_child(self, family: _Family) -> bool:
        low, high = self._child_years(family)
        return low <= high

    def _child(self, family: _Family) -> _Person:
        low, high = self._child_years(family)
        head = family.head
        return self._person(self.rng.choice(("male", "female")), self.rng.randint(low, high),
                            family.parent("male").family, head.village, head.ethnicity, head.religion)

    def _person(self, gender: str, birth_year: int, family: str, village: int | None,
                ethnicity: str = "Kinh", religion: str = "Không") -> _Person:
        rng = self.rng
        birth = min(date(birth_year, 1, 1) + timedelta(days=rng.randrange(365)), self.today)
        middle = _weighted(rng, MIDDLE_NAMES[gender])
        if middle == "Thị" and rng.random() < 0.15:
            middle = f"Thị {rng.choice(SECOND_MIDDLE)}"
        while (given := rng.choice(GIVEN_NAMES[gender])) == middle.split()[-1]:
            pass
        name = f"{family} {middle} {given}"
        person = _Person(gender, birth, family, village, ethnicity, religion, name)
        self._identity(person)
        return person

    def _ethnic_group(self, village: int | None) -> tuple[str, Sequence[str]]:
        rng = self.rng
        if village is not None and self.village_data[village].ethnic_minority_area and rng.random() < 0.6:
            group = rng.choice(sorted(AREA_ETHNIC_GROUPS))
            return group, AREA_ETHNIC_GROUPS[group]
        if rng.random() < 0.015:
            group = rng.choice(sorted(SCATTERED_ETHNIC_GROUPS))
            return group, SCATTERED_ETHNIC_GROUPS[group]
        return "Kinh", ()

    def _identity(self, person: _Person) -> None:
        """Home town and, for most people aged 14 or more, the 12-digit personal ID number."""
        rng = self.rng
        if rng.random() < 0.72:
            code, commune = self.place.province_code, self.place.commune
            person.home_town = f"{commune[:1].upper()}{commune[1:]}, {self.place.province}"
        else:
            province, code = rng.choice(BIRTH_PROVINCES)
            person.home_town = province if province.startswith("Thành phố") else f"tỉnh {province}"
        if rng.random() >= (0.96 if person.age(self.today) >= 14 else 0.15):
            return
        # Province of birth, then gender and century (0/1: 1900s man/woman, 2/3: 2000s).
        century_and_gender = (0 if person.birth.year < 2000 else 2) + (person.gender == "female")
        prefix = f"{code:03d}{century_and_gender}{person.birth.year % 100:02d}"
        while (citizen_id := f"{prefix}{rng.randrange(10**6):06d}") in self.citizen_ids:
            pass
        self.citizen_ids.add(citizen_id)
        person.citizen_id = citizen_id

    def _household(self, family: _Family, on_register: bool) -> None:
        head = family.head
        members: tuple[MemberData, ...] = ()
        if on_register:
            members = (MemberData(head.id, "Chủ hộ", True),)
            if family.spouse is not None:
                relation = "Vợ" if family.spouse.gender == "female" else "Chồng"
                members += (MemberData(family.spouse.id, relation),)
            members += tuple(MemberData(child.id, "Con") for child in family.children)
        village = self.village_data[head.village].name if head.village is not None else ""
        address = ", ".join(filter(None, (f"Số {self.rng.randint(1, 250)}", village, self.place.commune)))
        title = "ông" if head.gender == "male" else "bà"
        self.plan.households.append(
            (self.new_id(), HouseholdData(f"Hộ {title} {head.name}", head.village, address, members))
        )

    # jobs

    def _staff(self, people: list[_Person]) -> None:
        """Cán bộ, công chức (together ~3% of the register, at most 75) and viên chức (~5%)."""
        n = len(people)
        pool = [p for p in people if 23 <= p.age(self.today) <= 58]
        self.rng.shuffle(pool)
        officials = min(round(n * 0.03), 75)
        can_bo = min(len(CAN_BO_POSTS), round(officials * 0.35))
        for title, unit in CAN_BO_POSTS[:can_bo]:
            gender = "female" if "Phụ nữ" in title else "male" if "Cựu chiến binh" in title else None
            ages = (25, 35) if "Đoàn" in title else (45, 58) if "Cựu chiến binh" in title else (33, 58)
            self._hire(pool, "can_bo", title, unit,
                       lambda p: gender in (None, p.gender) and ages[0] <= p.age(self.today) <= ages[1])
        for i in range(officials - can_bo):
            unit, rank = CONG_CHUC_UNITS[i % len(CONG_CHUC_UNITS)], i // len(CONG_CHUC_UNITS)
            head, deputy = CONG_CHUC_HEADS.get(unit, ("Trưởng phòng", "Phó Trưởng phòng"))
            title = (head, deputy, "Chuyên viên")[min(rank, 2)]
            self._hire(pool, "cong_chuc", title, unit,
                       lambda p: (unit != "military" or p.gender == "male")
                       and (rank >= 2 or p.age(self.today) >= 30))
        schools = [k for k in ("kindergarten", "primary", "secondary", "primary_2") if k in self.units]
        for i in range(min(round(n * 0.05), 160)):
            if "health" in self.units and i % 8 == 0:
                rank = i // 8
                title = "Trạm trưởng" if rank == 0 else HEALTH_TITLES[rank % len(HEALTH_TITLES)]
                self._hire(pool, "vien_chuc", title, "health",
                           lambda p: title != "Hộ sinh" or p.gender == "female")
            elif schools:
                unit = schools[i % len(schools)]
                rank = i // (8 * len(schools))
                title = ("Hiệu trưởng", "Phó Hiệu trưởng")[rank] if rank < 2 else "Giáo viên"
                self._hire(pool, "vien_chuc", title, unit,
                           lambda p: unit != "kindergarten" or p.gender == "female")
            else:
                self._hire(pool, "vien_chuc", "Viên chức", None, lambda p: True)

    def _hire(self, pool: list[_Person], employment: str, title: str, unit: str | None,
              suits: Callable[[_Person], bool]) -> None:
        index = next((i for i, p in enumerate(pool) if suits(p)), None)
        if index is None:
            return
        person = pool.pop(index)
        person.employment, person.job_title = employment, title
        person.unit = unit if unit in self.units else None
        age = person.age(self.today)
        if employment != "can_bo" and age <= 32 and self.rng.random() < 0.3:
            # recently recruited: not rated, and no title, in a year they worked under six months
            person.start = self.today - timedelta(days=self.rng.randint(30, 900))
        else:
            person.start = self._start(person, self.rng.randint(22, min(30, age)))

    def _start(self, person: _Person, at_age: int) -> date:
        """A start date in the year after the person turned `at_age`, never before age 18."""
        day = _birthday(person.birth, at_age) + timedelta(days=self.rng.randrange(365))
        day = min(day, self.today - timedelta(days=self.rng.randint(1, 60)))
        return max(day, _birthday(person.birth, 18) + timedelta(days=1))

    def _workers(self, people: list[_Person]) -> None:
        """Everyone else: farmers, workers and other labourers by age; some in a cooperative."""
        rng = self.rng
        coops = [k for k in ("coop", "coop_2") if k in self.units]
        for person in people:
            if person.employment != "other":
                continue
            age = person.age(self.today)
            if age < 18:
                continue
            if age > 60:
                weights = {"nong_dan": 35, "other": 65}
            elif age < 23:
                weights = {"other": 50, "cong_nhan": 25, "nguoi_lao_dong": 15, "nong_dan": 10}
            else:
                weights = {"nong_dan": 40, "cong_nhan": 22, "nguoi_lao_dong": 22, "other": 16}
            person.employment = _weighted(rng, weights)
            person.direct_labour = person.employment in ("nong_dan", "cong_nhan") or (
                person.employment == "nguoi_lao_dong" and rng.random() < 0.6)
            if person.employment == "nong_dan" and coops and age <= 65 and rng.random() < 0.2:
                person.unit, person.job_title = rng.choice(coops), "Thành viên hợp tác xã"
            elif person.employment == "cong_nhan" and "firm" in self.units and rng.random() < 0.3:
                person.unit, person.job_title = "firm", "Công nhân may"
            if person.unit is not None:
                person.start = self._start(person, rng.randint(18, age))

    def _individual(self, p: _Person) -> IndividualData:
        village = self.village_data[p.village] if p.village is not None else None
        return IndividualData(
            full_name=p.name, gender=p.gender, birth_date=p.birth, ethnicity=p.ethnicity,
            religion=p.religion, home_town=p.home_town,
            residence=", ".join(filter(None, (village.name if village else "", self.place.commune))),
            citizen_id=p.citizen_id, job_title=p.job_title,
            unit_id=self.units[p.unit] if p.unit else None, village_id=p.village,
            employment=p.employment, direct_labour=p.direct_labour, employment_start=p.start,
            ethnic_minority=p.ethnicity != "Kinh", difficult_area=bool(village and village.difficult_area),
        )


# --- history -------------------------------------------------------------------------------

RATED = ("can_bo", "cong_chuc", "vien_chuc")  # rated every year (xếp loại chất lượng)
RATING_ODDS = {
    "strong": {"htxs": 75, "tot": 25},
    "normal": {"htxs": 8, "tot": 88, "ht": 4},
    "weak": {"tot": 45, "ht": 45, "kht": 10},
}
DISTRICT_POWERS = ("CSTDCS", "TTLDTT", "THON_VH")  # decided by the district chairman until the reform
NUMBERS_PER_DAY = {"commune": 3, "district": 15, "province": 25}  # for believable decision numbers


class _HistoryPlanner:
    """Ratings, titles and awards, initiatives and discipline for the years up to last year.

    Titles follow the domain rules: LĐTT only with a rating of 'tốt' or better; CSTĐCS only
    on top of LĐTT with 'xuất sắc' (from 2024) or an initiative (always before 2024);
    TTLĐTT only when more than half the unit's members are LĐTT; a Bằng khen tỉnh only
    after two consecutive CSTĐCS; no title while a discipline runs.
    """

    def __init__(self, planner: _Planner, people: list[_Person]) -> None:
        self.rng, self.place, self.today = planner.rng, planner.place, planner.today
        self.planner = planner
        self.people = people
        last = self.today.year - 1
        self.years = list(range(last - planner.sizes.years + 1, last + 1))
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
        for person in rated:
            strong = (quality := _weighted(rng, {"strong": 12, "normal": 82, "weak": 6})) == "strong"
            for year in self.years:
                if person.start is None or person.start > date(year, 6, 30):
                    continue  # not yet working, or less than six months in that year
                rating = forced.get((person.id, year)) or _weighted(rng, RATING_ODDS[quality])
                self.out.append((person.id, "individual", RatingRecord(year, rating)))
                if (person.id, year) in no_titles:
                    continue
                initiative = rating == "htxs" and rng.random() < (0.5 if strong else 0.2)
                if initiative:
                    self._initiative(person, year)
                if rating not in ("htxs", "tot") or rng.random() > (0.99 if strong else 0.93):
                    continue
                self._award(person.id, "individual", "LDTT", year)
                self.ldtt[year].add(person.id)
                merit = initiative or (rating == "htxs" and year >= LAW_2022_FROM.year)
                if merit and rng.random() < (0.8 if strong else 0.5):
                    self.cstdcs[(person.id, year)] = self._award(person.id, "individual", "CSTDCS", year)
                elif rating == "htxs" and rng.random() < 0.3:
                    self._award(person.id, "individual", "GK_XA", year)

    def _disciplines(self, rated: list[_Person]) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
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

    def _initiative(self, person: _Person, year: int) -> None:
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
            for year in self.years:
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
        members: dict[int, list[_Person]] = {}
        for person in self.people:
            if person.unit is not None:
                members.setdefault(self.planner.units[person.unit], []).append(person)
        for collective_id, _data in self.planner.plan.collectives:
            for year in self.years:
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
        for village_id, _data in self.planner.plan.villages:
            for year in self.years:
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


# --- writing -------------------------------------------------------------------------------


def _write(session: Session, plan: _Plan, report: Report) -> None:
    """Insert the plan in chunks, reporting progress; an exception rolls everything back."""
    now = datetime.now()

    def subject(item: tuple[int, SubjectData]) -> dict[str, object]:
        return _subject_row(*item, now)

    members = [
        {"household_id": household_id, "individual_id": m.individual_id, "relation": m.relation,
         "is_head": m.is_head}
        for household_id, data in plan.households for m in data.members
    ]
    history = {model: [item for item in plan.history if isinstance(item[2], record_type)]
               for record_type, model in ((RatingRecord, AnnualRating), (AwardRecord, Award),
                                          (InitiativeRecord, Initiative), (DisciplineRecord, Discipline))}
    steps: list[tuple[type, Sequence[Any], Callable[[Any], dict[str, object]]]] = [
        (Village, plan.villages, subject),
        (Collective, plan.collectives, subject),
        (Individual, plan.individuals, subject),
        (Household, plan.households, subject),
        (HouseholdMember, members, dict),
        (CollectiveMember, plan.memberships, dict),
        *((model, items, _history_row) for model, items in history.items()),
    ]
    total = sum(len(items) for _, items, _ in steps)
    done = 0
    report(done, total)
    for model, items, to_row in steps:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            # render_nulls: rows with and without NULLs go in one executemany, not one each
            statement = insert(model).execution_options(render_nulls=True)
            session.execute(statement, [to_row(item) for item in chunk])
            done += len(chunk)
            report(done, total)


def _subject_row(subject_id: int, data: SubjectData, now: datetime) -> dict[str, object]:
    """The columns SubjectService.add_in would set, from the register's own functions."""
    data = validate(data)
    row = {f.name: getattr(data, f.name) for f in fields(data) if f.name not in ("members", "full_name")}
    row.update(id=subject_id, name=display_name(data), search_text=search_text(data),
               sort_key=sort_key(data), created_at=now, updated_at=now)
    return row


def _history_row(item: tuple[int, str, HistoryRecord]) -> dict[str, object]:
    subject_id, kind, record = item
    record = validate_record(record, kind)
    row = {f.name: getattr(record, f.name) for f in fields(record) if f.name != "id"}
    row["subject_id"] = subject_id
    return row


def _legal_basis(decided_on: date) -> str:
    """The law in force when the decision was signed (kept per award, L2022 Điều 95)."""
    return LAW_2022 if decided_on >= LAW_2022_FROM else LAW_2003


def _place_names() -> list[str]:
    """Two-word names such as 'Phú Hòa', for villages, schools and cooperatives."""
    return [f"{a} {b}" for a in PLACE_WORDS for b in PLACE_WORDS if a != b]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _birthday(birth: date, age: int) -> date:
    return date(birth.year + age, birth.month, min(birth.day, 28))
