"""The demo register: villages, collectives, people with families and jobs, households.

Planned in memory with ids assigned up front, so history and writing need no queries.
The order of draws from `rng` is what makes a seed reproducible: keep it when editing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.demo_names import (
    AREA_ETHNIC_GROUPS,
    BIRTH_PROVINCES,
    CAN_BO_POSTS,
    CONG_CHUC_HEADS,
    CONG_CHUC_UNITS,
    CONTRACT_TITLES,
    CORE_COLLECTIVES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    HEALTH_TITLES,
    MIDDLE_NAMES,
    RELIGIONS,
    SCATTERED_ETHNIC_GROUPS,
    SECOND_MIDDLE,
    VILLAGE_COLLECTIVES,
    Place,
    place_names,
    weighted,
)
from app.history import HistoryRecord
from app.subject_data import CollectiveData, HouseholdData, IndividualData, MemberData, VillageData

if TYPE_CHECKING:
    from app.demo import DemoSizes


@dataclass
class Person:
    gender: str
    birth: date
    family: str
    village: int | None  # village id
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
class Family:
    head: Person
    spouse: Person | None = None
    children: list[Person] = field(default_factory=list)

    @property
    def members(self) -> list[Person]:
        return [self.head, *([self.spouse] if self.spouse else []), *self.children]

    def parent(self, gender: str) -> Person:
        if self.spouse is not None and self.spouse.gender == gender:
            return self.spouse
        return self.head


@dataclass
class Plan:
    """Every row to write, with ids assigned up front; `history` is planned after the register."""

    villages: list[tuple[int, VillageData]] = field(default_factory=list)
    collectives: list[tuple[int, CollectiveData]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    individuals: list[tuple[int, IndividualData]] = field(default_factory=list)
    households: list[tuple[int, HouseholdData]] = field(default_factory=list)
    memberships: list[dict[str, object]] = field(default_factory=list)
    history: list[tuple[int, str, HistoryRecord]] = field(default_factory=list)


class RegisterPlanner:
    """Villages, collectives, people with their jobs, and households, drawn from one `rng`."""

    def __init__(self, rng: random.Random, sizes: DemoSizes, place: Place, first_id: int) -> None:
        self.rng = rng
        self.sizes = sizes
        self.place = place
        self.today = date.today()
        self.next_id = first_id
        self.plan = Plan()
        self.units: dict[str, int] = {}  # core collective key -> id
        self.kind_of_unit: dict[int, str] = {}
        self.citizen_ids: set[str] = set()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def build(self) -> Plan:
        villages = self._villages()
        self._collectives(villages)
        self.plan.people = people = self._people(villages)
        self._staff(people)
        self._workers(people)
        self.plan.individuals = [(p.id, self._individual(p)) for p in people]
        self.plan.memberships = [
            {"collective_id": self.units[p.unit], "individual_id": p.id, "joined_on": p.start}
            for p in people if p.unit is not None
        ]
        return self.plan

    # villages and collectives

    def _villages(self) -> list[tuple[int, VillageData]]:
        n, word = self.sizes.villages, self.place.village_word
        names: list[str] = []
        if self.place.village_kind == "thon":
            pairs = place_names()
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
        places = self.rng.sample(place_names(), len(CORE_COLLECTIVES))
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

    def _people(self, villages: Sequence[tuple[int, VillageData]]) -> list[Person]:
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
                         weighted(rng, FAMILY_NAMES), rng.choice(villages)[0] if villages else None)
            for _ in range(budget)
        ]
        people = [p for family in registered for p in family.members] + loners
        for person in people:
            person.id = self.new_id()
        for index, family in enumerate(families):
            self._household(family, on_register=index < len(registered))
        return people

    def _family(self, villages: Sequence[tuple[int, VillageData]], weights: list[float]) -> Family:
        rng = self.rng
        village = rng.choices(villages, weights)[0][0] if villages else None
        ethnicity, family_names = self._ethnic_group(village)
        religion = "Phật giáo" if ethnicity == "Khmer" else weighted(rng, RELIGIONS)
        gender = "male" if rng.random() < 0.75 else "female"
        birth_year = self.today.year - int(rng.triangular(24, 86, 47))
        family_name = rng.choice(family_names) if ethnicity != "Kinh" else weighted(rng, FAMILY_NAMES)
        return Family(self._person(gender, birth_year, family_name, village, ethnicity, religion))

    def _spouse(self, head: Person) -> Person:
        rng = self.rng
        if head.gender == "male":
            gender, year = "female", head.birth.year + rng.randint(0, 7)
        else:
            gender, year = "male", head.birth.year - rng.randint(0, 6)
        family_name = weighted(rng, FAMILY_NAMES) if head.ethnicity == "Kinh" else head.family
        return self._person(gender, min(year, self.today.year - 20), family_name, head.village,
                            head.ethnicity, head.religion)

    def _child_years(self, family: Family) -> tuple[int, int]:
        """Birth years a child can have: mother aged 19 to 42, child at least 6 today."""
        mother = family.parent("female").birth.year
        return mother + 19, min(mother + 42, self.today.year - 6)

    def _can_have_child(self, family: Family) -> bool:
        low, high = self._child_years(family)
        return low <= high

    def _child(self, family: Family) -> Person:
        low, high = self._child_years(family)
        head = family.head
        return self._person(self.rng.choice(("male", "female")), self.rng.randint(low, high),
                            family.parent("male").family, head.village, head.ethnicity, head.religion)

    def _person(self, gender: str, birth_year: int, family: str, village: int | None,
                ethnicity: str = "Kinh", religion: str = "Không") -> Person:
        rng = self.rng
        birth = min(date(birth_year, 1, 1) + timedelta(days=rng.randrange(365)), self.today)
        middle = weighted(rng, MIDDLE_NAMES[gender])
        if middle == "Thị" and rng.random() < 0.15:
            middle = f"Thị {rng.choice(SECOND_MIDDLE)}"
        while (given := rng.choice(GIVEN_NAMES[gender])) == middle.split()[-1]:
            pass
        name = f"{family} {middle} {given}"
        person = Person(gender, birth, family, village, ethnicity, religion, name)
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

    def _identity(self, person: Person) -> None:
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

    def _household(self, family: Family, on_register: bool) -> None:
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

    def _staff(self, people: list[Person]) -> None:
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
        # Contract staff (người lao động) of the commune's office and schools, rated yearly.
        contract_units = [k for k in ("office", "primary", "secondary") if k in self.units] or [None]
        for i in range(min(round(n * 0.005), 15)):
            title = CONTRACT_TITLES[i % len(CONTRACT_TITLES)]
            self._hire(pool, "nguoi_lao_dong", title, contract_units[i % len(contract_units)], lambda p: True)
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

    def _hire(self, pool: list[Person], employment: str, title: str, unit: str | None,
              suits: Callable[[Person], bool]) -> None:
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

    def _start(self, person: Person, at_age: int) -> date:
        """A start date in the year after the person turned `at_age`, never before age 18 and
        never after today (someone turning 18 today starts today)."""
        day = _birthday(person.birth, at_age) + timedelta(days=self.rng.randrange(365))
        day = min(day, self.today - timedelta(days=self.rng.randint(1, 60)))
        return min(max(day, _birthday(person.birth, 18) + timedelta(days=1)), self.today)

    def _workers(self, people: list[Person]) -> None:
        """Everyone else: farmers, workers and other labourers by age; some in a cooperative."""
        rng = self.rng
        coops = [k for k in ("coop", "coop_2") if k in self.units]
        for person in people:
            if person.employment != "other":
                continue
            age = person.age(self.today)
            if age < 18:
                continue
            # "Người lao động" is kept for contract staff of the commune's bodies (rated every
            # year, like civil servants); labourers in private work are "other".
            if age > 60:
                weights = {"nong_dan": 35, "other": 65}
            elif age < 23:
                weights = {"other": 65, "cong_nhan": 25, "nong_dan": 10}
            else:
                weights = {"nong_dan": 40, "cong_nhan": 22, "other": 38}
            person.employment = weighted(rng, weights)
            person.direct_labour = person.employment in ("nong_dan", "cong_nhan") or (
                person.employment == "other" and age <= 60 and rng.random() < 0.6)
            if person.employment == "nong_dan" and coops and age <= 65 and rng.random() < 0.2:
                person.unit, person.job_title = rng.choice(coops), "Thành viên hợp tác xã"
            elif person.employment == "cong_nhan" and "firm" in self.units and rng.random() < 0.3:
                person.unit, person.job_title = "firm", "Công nhân may"
            if person.unit is not None:
                person.start = self._start(person, rng.randint(18, age))

    def _individual(self, p: Person) -> IndividualData:
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


def _birthday(birth: date, age: int) -> date:
    return date(birth.year + age, birth.month, min(birth.day, 28))
