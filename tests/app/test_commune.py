from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest

from app import divisions
from app.commune import CommuneSetup, OfficialData, province_title
from app.errors import ValidationError
from app.services import Services

DONG_NAI = 75
PHUOC_TAN = 26377  # Phường Phước Tân, Đồng Nai
HA_NOI = 1
BA_DINH = 4  # Phường Ba Đình, Hà Nội


def _setup(**changes: object) -> CommuneSetup:
    setup = CommuneSetup(
        province_code=DONG_NAI,
        commune_code=PHUOC_TAN,
        place_name="Phước Tân",
        officials=(
            OfficialData("chairman", "Nguyễn Văn An"),
            OfficialData("vice_chairman", "Trần Thị Bình"),
            OfficialData("council_member", "Lê Văn Cường", "Chủ tịch Ủy ban MTTQ xã"),
            OfficialData("officer", "Phạm Thị Dung", "Công chức Văn phòng - Thống kê"),
        ),
    )
    return replace(setup, **changes)


def _field_of_error(services: Services, setup: CommuneSetup) -> str | None:
    with pytest.raises(ValidationError) as raised:
        services.commune.save(setup)
    assert str(raised.value)  # a sentence the officer can read
    return raised.value.field


def test_nothing_is_set_up_in_a_new_database(services: Services) -> None:
    assert services.commune.get() is None


def test_saved_setup_reads_back_with_division_names(services: Services) -> None:
    saved = services.commune.save(_setup())

    assert saved == services.commune.get()
    assert saved.province_name == "Đồng Nai"
    assert saved.commune_name == "Phường Phước Tân"
    assert saved.commune_kind == "phường"
    assert saved.issuing_body == "PHƯỜNG PHƯỚC TÂN"
    assert (saved.issuer_symbol, saved.council_symbol) == ("UBND", "HĐTĐKT")


def test_officials_keep_their_order_and_titles(services: Services) -> None:
    officials = (
        OfficialData("chairman", "Nguyễn Văn An"),
        OfficialData("council_member", "Võ Văn Em", "Bí thư Đoàn phường"),
        OfficialData("vice_chairman", "Trần Thị Bình"),
        OfficialData("council_member", "Lê Văn Cường", "Chủ tịch Ủy ban MTTQ phường"),
        OfficialData("vice_chairman", "Đặng Văn Giang", "Phó Chủ tịch Hội đồng"),
        OfficialData("officer", "Phạm Thị Dung"),
    )
    services.commune.save(_setup(officials=officials))

    saved = services.commune.get()
    assert saved is not None
    assert saved.officials == officials
    assert [o.full_name for o in saved.people("vice_chairman")] == ["Trần Thị Bình", "Đặng Văn Giang"]


def test_saving_again_replaces_the_previous_setup(services: Services) -> None:
    services.commune.save(_setup())
    services.commune.save(
        _setup(
            province_code=HA_NOI,
            commune_code=BA_DINH,
            place_name="Ba Đình",
            officials=(OfficialData("chairman", "Hoàng Văn Hải"),),
        )
    )

    saved = services.commune.get()
    assert saved is not None
    assert (saved.province_name, saved.commune_name) == ("Thành phố Hà Nội", "Phường Ba Đình")
    assert saved.officials == (OfficialData("chairman", "Hoàng Văn Hải"),)


def test_typed_text_is_cleaned_and_symbols_upper_cased(services: Services) -> None:
    decomposed = unicodedata.normalize("NFD", "  Phước   Tân ")
    saved = services.commune.save(
        _setup(
            place_name=decomposed,
            issuer_symbol=" ubnd ",
            council_symbol="hđtđkt",
            officials=(OfficialData("chairman", "  Nguyễn  Văn An ", " Chủ tịch  UBND "),),
        )
    )

    assert saved.place_name == "Phước Tân"
    assert unicodedata.is_normalized("NFC", saved.place_name)
    assert (saved.issuer_symbol, saved.council_symbol) == ("UBND", "HĐTĐKT")
    assert saved.officials == (OfficialData("chairman", "Nguyễn Văn An", "Chủ tịch UBND"),)


def test_rows_left_entirely_blank_are_dropped(services: Services) -> None:
    saved = services.commune.save(
        _setup(officials=(OfficialData("chairman", "Nguyễn Văn An"), OfficialData("council_member", "  ", "")))
    )

    assert saved.officials == (OfficialData("chairman", "Nguyễn Văn An"),)


def test_missing_chairman_is_refused(services: Services) -> None:
    setup = _setup(officials=(OfficialData("vice_chairman", "Trần Thị Bình"),))

    assert _field_of_error(services, setup) == "chairman"
    assert services.commune.get() is None


def test_blank_chairman_name_counts_as_missing(services: Services) -> None:
    assert _field_of_error(services, _setup(officials=(OfficialData("chairman", "   "),))) == "chairman"


def test_two_chairmen_are_refused(services: Services) -> None:
    setup = _setup(officials=(OfficialData("chairman", "Nguyễn Văn An"), OfficialData("chairman", "Lê Văn Bảo")))

    assert _field_of_error(services, setup) == "chairman"


def test_two_officers_are_refused(services: Services) -> None:
    setup = _setup(
        officials=(
            OfficialData("chairman", "Nguyễn Văn An"),
            OfficialData("officer", "Phạm Thị Dung"),
            OfficialData("officer", "Võ Văn Em"),
        )
    )

    assert _field_of_error(services, setup) == "officer"


def test_title_without_a_name_is_refused_not_dropped(services: Services) -> None:
    setup = _setup(
        officials=(
            OfficialData("chairman", "Nguyễn Văn An"),
            OfficialData("council_member", "", "Chủ tịch Hội Nông dân"),
        )
    )

    assert _field_of_error(services, setup) == "council_member"


def test_unknown_role_is_refused(services: Services) -> None:
    setup = _setup(officials=(OfficialData("chairman", "Nguyễn Văn An"), OfficialData("mayor", "Lê Văn Bảo")))

    with pytest.raises(ValidationError):
        services.commune.save(setup)


def test_unknown_province_is_refused(services: Services) -> None:
    assert _field_of_error(services, _setup(province_code=999)) == "province"


def test_unknown_commune_is_refused(services: Services) -> None:
    assert _field_of_error(services, _setup(commune_code=999_999)) == "commune"


def test_commune_of_another_province_is_refused(services: Services) -> None:
    assert _field_of_error(services, _setup(province_code=HA_NOI, commune_code=PHUOC_TAN)) == "commune"


def test_empty_place_name_is_refused(services: Services) -> None:
    assert _field_of_error(services, _setup(place_name="   ")) == "place_name"


@pytest.mark.parametrize("symbol", ["ubnd xã", "UBND/VP", "UBND-", "", "  "])
def test_bad_issuer_symbol_is_refused(services: Services, symbol: str) -> None:
    assert _field_of_error(services, _setup(issuer_symbol=symbol)) == "issuer_symbol"


def test_bad_council_symbol_is_refused(services: Services) -> None:
    assert _field_of_error(services, _setup(council_symbol="HĐ TĐKT")) == "council_symbol"


def test_a_refused_save_keeps_the_previous_setup(services: Services) -> None:
    first = services.commune.save(_setup())

    with pytest.raises(ValidationError):
        services.commune.save(_setup(officials=()))

    assert services.commune.get() == first


def test_validate_reports_without_storing(services: Services) -> None:
    checked = services.commune.validate(_setup(place_name=" Phước Tân "))

    assert checked.place_name == "Phước Tân"
    assert checked.commune_name == "Phường Phước Tân"
    assert services.commune.get() is None


def test_errors_come_in_the_order_the_setup_is_entered(services: Services) -> None:
    everything_wrong = CommuneSetup(province_code=999, commune_code=0, place_name="", issuer_symbol="x y")
    assert _field_of_error(services, everything_wrong) == "province"
    assert _field_of_error(services, replace(everything_wrong, province_code=DONG_NAI)) == "commune"


# Divisions


def test_there_are_34_provinces_with_official_integer_codes() -> None:
    provinces = divisions.provinces()

    assert len(provinces) == 34
    assert len({p.code for p in provinces}) == 34
    assert all(type(p.code) is int for p in provinces)
    assert divisions.province(DONG_NAI) is not None
    assert divisions.province(DONG_NAI).name == "Đồng Nai"  # type: ignore[union-attr]
    assert divisions.province(HA_NOI).name == "Thành phố Hà Nội"  # type: ignore[union-attr]
    assert {p.kind for p in provinces} == {"tỉnh", "thành phố trung ương"}
    assert sum(p.kind == "thành phố trung ương" for p in provinces) == 6


def test_provinces_are_ordered_by_name_without_the_city_prefix() -> None:
    names = [p.name for p in divisions.provinces()]

    assert names[0] == "An Giang"
    assert names.index("Gia Lai") < names.index("Thành phố Hà Nội") < names.index("Hà Tĩnh")
    assert names.index("Thành phố Hồ Chí Minh") < names.index("Hưng Yên")


def test_dong_nai_has_95_communes_and_wards() -> None:
    communes = divisions.communes(DONG_NAI)

    assert len(communes) == 95
    assert sum(c.kind == "xã" for c in communes) == 72
    assert sum(c.kind == "phường" for c in communes) == 23
    assert all(type(c.code) is int for c in communes)
    assert divisions.commune(DONG_NAI, PHUOC_TAN) == divisions.Division(PHUOC_TAN, "Phường Phước Tân", "phường")


def test_every_division_name_is_nfc() -> None:
    names = [p.name for p in divisions.provinces()]
    names += [c.name for p in divisions.provinces() for c in divisions.communes(p.code)]

    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_commune_codes_are_unique_across_the_country() -> None:
    codes = [c.code for p in divisions.provinces() for c in divisions.communes(p.code)]

    assert len(codes) == len(set(codes))
    assert len(codes) == 3321  # commune-level units after the 2025 reform


def test_communes_of_an_unknown_province_are_empty() -> None:
    assert divisions.communes(999) == ()
    assert divisions.commune(999, PHUOC_TAN) is None


def test_communes_are_ordered_by_name_without_their_kind() -> None:
    names = [c.name for c in divisions.communes(DONG_NAI)]

    assert names[:3] == ["Phường An Lộc", "Xã An Phước", "Xã An Viễn"]


@pytest.mark.parametrize(
    ("name", "place"),
    [("Phường Phước Tân", "Phước Tân"), ("Xã An Viễn", "An Viễn"), ("Đặc khu Côn Đảo", "Côn Đảo")],
)
def test_default_place_name_drops_the_kind(name: str, place: str) -> None:
    assert divisions.default_place_name(divisions.Division(1, name, "")) == place


def test_a_province_is_named_as_a_sentence_says_it() -> None:
    assert province_title("Đồng Nai") == "tỉnh Đồng Nai"
    assert province_title("Thành phố Hồ Chí Minh") == "thành phố Hồ Chí Minh"
