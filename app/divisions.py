"""Provinces and communes after the 2025 reform, from the `vietnam-provinces` package.

Imported lazily: the lookup tables cost ~60 ms, which headless commands should not pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.vietnamese import name_sort_key


@dataclass(frozen=True)
class Division:
    code: int
    name: str  # official name, e.g. "Phường Trấn Biên", "Tỉnh Đồng Nai" is just "Đồng Nai"
    kind: str  # tỉnh / thành phố trung ương / xã / phường / đặc khu


@cache
def provinces() -> tuple[Division, ...]:
    from vietnam_provinces import Province

    found = (
        Division(int(p.code), p.name, p.division_type.value) for p in Province.iter_all()
    )
    # By bare name, so that "Thành phố Hà Nội" sits under H where people look for it.
    return tuple(sorted(found, key=lambda d: name_sort_key(_bare_name(d.name))))


@cache
def communes(province_code: int) -> tuple[Division, ...]:
    """The communes, wards and special zones of a province; empty for an unknown code."""
    from vietnam_provinces import ProvinceCode, Ward

    try:
        code = ProvinceCode(province_code)
    except ValueError:
        return ()
    found = (Division(int(w.code), w.name, w.division_type.value) for w in Ward.iter_by_province(code))
    return tuple(sorted(found, key=lambda d: name_sort_key(_bare_name(d.name))))


def province(code: int) -> Division | None:
    return next((p for p in provinces() if p.code == code), None)


def commune(province_code: int, code: int) -> Division | None:
    return next((c for c in communes(province_code) if c.code == code), None)


def _bare_name(name: str) -> str:
    for prefix in ("Thành phố ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def default_place_name(commune_division: Division) -> str:
    """The name on the date line (NĐ30: the unit's own name), without 'Xã'/'Phường'."""
    return _bare_name(commune_division.name)
