"""The demo's Hội đồng Thi đua - Khen thưởng in the commune setup: people of the register in
their posts (chairman, vice-chairmen, the heads of the mass organisations, the officer), so
the emulation years' council sessions have members to call (app/demo_year.py)."""

from __future__ import annotations

from datetime import date

from app import divisions
from app import demo_year_texts as texts
from app.commune import CommuneSetup, OfficialData
from app.demo_history import STAFF
from app.demo_names import Place
from app.demo_register import Person, Plan
from app.services import Services
from app.subject_data import display_name


def set_up_council(services: Services, plan: Plan, place: Place, today: date) -> None:
    """A council in the commune setup (people of the register in their posts); a setup the
    officer made keeps its people and gains council members only when it has none."""
    staff = [p for p in plan.people if p.employment in STAFF]
    names = {subject_id: display_name(data) for subject_id, data in plan.individuals}
    setup = services.commune.get()
    if setup is not None and setup.people("council_member"):
        return
    by_title: dict[str, list[Person]] = {}
    for person in staff:
        by_title.setdefault(person.job_title, []).append(person)
    taken: set[int] = set()

    def pick(title: str) -> Person | None:
        found = next((p for p in by_title.get(title, []) if p.id not in taken), None)
        if found is not None:
            taken.add(found.id)
        return found

    officials: list[OfficialData] = []
    if setup is None:
        chairman = pick("Chủ tịch Ủy ban nhân dân") or _adult(plan, today, taken)
        officials.append(OfficialData("chairman", names[chairman.id]))
        while (vice := pick("Phó Chủ tịch Ủy ban nhân dân")) is not None:
            officials.append(OfficialData("vice_chairman", names[vice.id]))
    members = [(post, p) for post in texts.COUNCIL_POSTS if (p := pick(post)) is not None]
    for person in staff:
        if len(members) >= 5:
            break
        if person.id not in taken and person.job_title:
            taken.add(person.id)
            members.append((person.job_title, person))
    while len(members) < 3:
        person = _adult(plan, today, taken)
        members.append(("Đại diện nhân dân", person))
    officials += [OfficialData("council_member", names[p.id], title) for title, p in members]
    if setup is None:
        officer = next((p for p in staff if p.employment == "cong_chuc" and p.id not in taken), None)
        if officer is not None:
            officials.append(OfficialData("officer", names[officer.id], "Công chức Văn hóa - Xã hội"))
        commune = _commune_of(place)
        setup = CommuneSetup(province_code=place.province_code, commune_code=commune.code,
                             place_name=divisions.default_place_name(commune), officials=tuple(officials))
    else:
        setup = CommuneSetup(setup.province_code, setup.commune_code, setup.place_name, setup.issuer_symbol,
                             setup.council_symbol, (*setup.officials, *officials))
    services.commune.save(setup)


def _adult(plan: Plan, today: date, taken: set[int]) -> Person:
    person = next(p for p in plan.people if p.id not in taken and p.age(today) >= 25)
    taken.add(person.id)
    return person


def _commune_of(place: Place) -> divisions.Division:
    """The division the demo's default place names, else the province's first commune."""
    communes = divisions.communes(place.province_code)
    return next((c for c in communes if f"{c.kind} {divisions.default_place_name(c)}" == place.commune),
                communes[0])

