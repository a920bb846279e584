"""The writer the kill test kills: one person and their history per transaction, until killed.

    python -m bench.kill_writer DATABASE [--seed N]

Opens the database the way the app does (`db.migrate.open_database`: WAL, synchronous=FULL)
and loops. Each transaction inserts an `Individual` with a new UUID, `RATINGS` annual
ratings and `AWARDS` awards. The protocol on stdout, one line each, flushed at once:

    ready                 the database is open
    begin <uuid>          the transaction for <uuid> starts
    commit <uuid>         the commit of <uuid> has returned: the database promised to keep it

Writes through ORM sessions on the engine rather than the app's services, so that the test
measures SQLite and the engine settings, not a service API that changes.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.vietnamese import fold, person_sort_key
from db.migrate import open_database
from db.models import AnnualRating, Award, Individual, new_uuid

RATINGS = 3  # annual ratings per person, one per year
AWARDS = 1
NOTE = "kill-test"  # marks the people this writer made

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = {"male": ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Quang", "Đình"),
          "female": ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Phương", "Bích")}
GIVEN = {"male": ("An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hùng", "Khánh", "Long",
                  "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt"),
         "female": ("Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh",
                    "Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Yến")}
EMPLOYMENT = ("can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong", "nong_dan")
RATING_CODES = ("htxs", "tot", "tot", "ht")
AWARD_CODES = ("GK_XA", "CSTDCS", "LDTT")


def new_person(rng: random.Random, now: datetime) -> Individual:
    """An individual with a realistic name, ready to add to a session."""
    gender = rng.choice(("male", "female"))
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    born = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    citizen_id = f"0{rng.randint(1, 96):02d}{rng.randint(0, 3)}{born.year % 100:02d}{rng.randint(0, 999_999):06d}"
    return Individual(
        uuid=new_uuid(), name=name, search_text=f"{fold(name)} {citizen_id}",
        sort_key=person_sort_key(name), note=NOTE, created_at=now, updated_at=now,
        gender=gender, birth_date=born, citizen_id=citizen_id,
        employment=rng.choice(EMPLOYMENT), job_title="Chuyên viên",
    )


def write_one(session: Session, rng: random.Random, person: Individual) -> None:
    """The person, then their history rows, flushed one by one so the transaction takes a while."""
    session.add(person)
    session.flush()
    first_year = rng.randint(2015, 2022)
    for year in range(first_year, first_year + RATINGS):
        session.add(AnnualRating(subject_id=person.id, year=year, rating=rng.choice(RATING_CODES)))
        session.flush()
    for _ in range(AWARDS):
        session.add(Award(subject_id=person.id, award_code=rng.choice(AWARD_CODES),
                          year=first_year + RATINGS - 1, issuer="UBND xã"))
    session.flush()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    database = open_database(args.database)
    sessions = sessionmaker(database.engine, expire_on_commit=False)
    say("ready")
    while True:
        person = new_person(rng, datetime.now())
        say(f"begin {person.uuid}")
        with sessions.begin() as session:
            write_one(session, rng, person)
        say(f"commit {person.uuid}")


if __name__ == "__main__":
    sys.exit(main())
