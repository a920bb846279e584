from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit import AuditFilter
from app.eligibility.rule_settings import DEFINITIONS, SettingEntry
from app.errors import NotFoundError, PermissionDeniedError, ValidationError
from app.roles import Role
from app.rule_setting_service import DEFAULT, OFFICER, SettingRow, canonical_text, describe_value
from app.services import Services
from db.models import RuleSettingValue

JAN_2025 = date(2025, 1, 1)


def as_viewer(services: Services) -> Services:
    return Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))


def officer_rows(services: Services, key: str) -> list[tuple[date, str, str]]:
    return [(r.effective_from, r.value, r.source)
            for r in services.rule_settings.history(key) if r.origin == OFFICER]


def test_a_value_reads_back_as_an_entry(services: Services) -> None:
    entry = services.rule_settings.set("public_notice_days", "7", JAN_2025, "QĐ 12/2024 của UBND tỉnh")
    assert entry == SettingEntry("public_notice_days", "7", JAN_2025)
    assert services.rule_settings.entries() == (entry,)
    assert officer_rows(services, "public_notice_days") == [(JAN_2025, "7", "QĐ 12/2024 của UBND tỉnh")]


def test_entries_are_ordered_by_key_then_date(services: Services) -> None:
    service = services.rule_settings
    service.set("public_notice_days", "7", date(2026, 1, 1))
    service.set("public_notice_days", "6", JAN_2025)
    service.set("base_salary", "2500000", date(2026, 7, 1))
    assert [(e.key, e.effective_from) for e in service.entries()] == [
        ("base_salary", date(2026, 7, 1)), ("public_notice_days", JAN_2025),
        ("public_notice_days", date(2026, 1, 1))]


def test_the_value_in_force_depends_on_the_date(services: Services) -> None:
    service = services.rule_settings
    service.set("public_notice_days", "7", JAN_2025)
    service.set("public_notice_days", "10", date(2026, 3, 1))
    assert service.on(date(2024, 12, 31)).value("public_notice_days") == 5  # the default
    assert service.on(date(2025, 6, 1)).value("public_notice_days") == 7
    assert service.on(date(2026, 3, 1)).value("public_notice_days") == 10


def test_a_later_default_wins_over_an_earlier_officer_value(services: Services) -> None:
    services.rule_settings.set("base_salary", "2000000", date(2024, 1, 1))
    settings = services.rule_settings.on(date(2024, 8, 1))
    assert settings.value("base_salary") == 2340000  # NĐ 73/2024 from 01/07/2024


def test_an_officer_value_on_a_defaults_date_wins(services: Services) -> None:
    services.rule_settings.set("ldtt_min_months", "8", date(2024, 1, 1), "Quy định của tỉnh")
    row = _row(services, "ldtt_min_months", date(2024, 5, 1))
    assert (row.value, row.origin, row.effective_from, row.source) == (
        "8", OFFICER, date(2024, 1, 1), "Quy định của tỉnh")


def test_rows_cover_every_setting_with_its_default_and_source(services: Services) -> None:
    rows = services.rule_settings.rows(date(2025, 1, 1))
    assert [r.key for r in rows] == [d.key for d in DEFINITIONS]
    salary = next(r for r in rows if r.key == "base_salary")
    assert (salary.value, salary.value_label, salary.origin, salary.effective_from, salary.source,
            salary.unit) == ("2340000", "2.340.000", DEFAULT, date(2024, 7, 1),
                             "NĐ 73/2024/NĐ-CP", "đồng")


def test_rows_agree_with_the_checkers_settings_on_every_key(services: Services) -> None:
    service = services.rule_settings
    service.set("ldtt_min_months", "8", date(2023, 1, 1))
    service.set("base_salary", "2500000", date(2024, 7, 1))
    service.set("vote_threshold:CSTDCS", ">=75% present", date(2025, 1, 1))
    for day in (date(2016, 1, 1), date(2023, 6, 1), date(2024, 7, 1), date(2025, 2, 1)):
        settings = service.on(day)
        expected = {d.key: settings.text(d.key) for d in DEFINITIONS}
        assert {r.key: r.value for r in service.rows(day)} == expected


def test_history_lists_defaults_and_officer_values_by_date(services: Services) -> None:
    service = services.rule_settings
    stored = service.set("ldtt_min_months", "8", date(2024, 1, 1))
    history = service.history("ldtt_min_months")
    assert [(r.effective_from, r.value, r.origin) for r in history] == [
        (date(2017, 1, 1), "10", DEFAULT), (date(2024, 1, 1), "6", DEFAULT),
        (date(2024, 1, 1), stored.value, OFFICER)]
    assert [r.id is None for r in history] == [True, True, False]


def test_a_value_on_the_same_date_replaces_the_earlier_one(services: Services) -> None:
    service = services.rule_settings
    service.set("public_notice_days", "7", JAN_2025, "lần đầu")
    service.set("public_notice_days", "9", JAN_2025, "sửa lại")
    assert service.entries() == (SettingEntry("public_notice_days", "9", JAN_2025),)
    entry = services.audit.entries(AuditFilter(entity="rule_setting"), limit=1)[0]
    assert entry.action == "update"
    assert entry.old_values == {"key": "public_notice_days", "value": "7", "effective_from": "2025-01-01",
                                "note": "lần đầu"}
    assert entry.new_values is not None and entry.new_values["value"] == "9"


def test_setting_the_same_value_again_writes_nothing(services: Services) -> None:
    services.rule_settings.set("public_notice_days", "7", JAN_2025, "x")
    count = services.audit.count()
    services.rule_settings.set("public_notice_days", " 7 ", JAN_2025, " x ")
    assert services.audit.count() == count


@pytest.mark.parametrize(("kind", "typed", "stored"), [
    ("int", " 010 ", "10"),
    ("percent", "15.0", "15"),
    ("optional_percent", "  ", ""),
    ("coefficient", "0.30", "0.3"),
    ("coefficient", "0.1234567890123456789012345678901", "0.1234567890123456789012345678901"),
    ("money", "２３４００００", "2340000"),
    ("threshold", ">=70.0% present", ">=70% present"),
    ("rating", "tot", "tot"),
    ("coefficient", "0,3", "0.3"),
    ("percent", " 12,50 ", "12.5"),
    ("money", "2.340.000", "2340000"),
])
def test_values_are_stored_in_their_canonical_form(kind: str, typed: str, stored: str) -> None:
    assert canonical_text(kind, typed) == stored


def test_the_stored_text_is_the_canonical_form(services: Services) -> None:
    services.rule_settings.set("reward_coefficient:LDTT", " 0.50 ", JAN_2025)
    assert services.rule_settings.entries()[0].value == "0.5"
    assert services.rule_settings.on(JAN_2025).value("reward_coefficient:LDTT") == Decimal("0.5")


def test_values_are_described_in_vietnamese() -> None:
    assert describe_value("bool", "true") == "Có"
    assert describe_value("rating", "tot") == "Hoàn thành tốt nhiệm vụ"
    assert describe_value("coefficient", "0.3", "lần lương cơ sở") == "0,3 lần lương cơ sở"
    assert describe_value("optional_percent", "", "%") == "không giới hạn"
    assert describe_value("threshold", ">50% present") == "trên 50% số thành viên có mặt"


@pytest.mark.parametrize(("key", "value", "day", "field", "message"), [
    ("no_such_key", "1", JAN_2025, "key", "Không có thiết lập"),
    ("public_notice_days", "năm", JAN_2025, "value", "số nguyên không âm"),
    ("public_notice_days", "-1", JAN_2025, "value", "không hợp lệ"),
    ("reward_coefficient:LDTT", "Infinity", JAN_2025, "value", "hệ số không âm"),
    ("reward_coefficient:LDTT", "1e200", JAN_2025, "value", "hệ số không âm"),
    ("reward_coefficient:LDTT", "1" * 101, JAN_2025, "value", "dài quá"),
    ("public_notice_days", "1_000", JAN_2025, "value", "số nguyên không âm"),
    ("gk_household_gdvh_years", "0", JAN_2025, "value", "từ 1 trở lên"),
    ("cstdcs_quota_percent", "-0", JAN_2025, "value", "tỷ lệ phần trăm"),
    ("registration_required", "có", JAN_2025, "value", "true hoặc false"),
    ("base_salary", "2.340.00", JAN_2025, "value", "số tiền"),
    ("reward_coefficient:LDTT", "1,000.5", JAN_2025, "value", "hệ số"),
    ("vote_threshold:LDTT", ">=101% present", JAN_2025, "value", "ngưỡng biểu quyết"),
    ("public_notice_days", "7", date(2016, 12, 31), "effective_from", "01/01/2017"),
])
def test_bad_input_is_refused_and_changes_nothing(services: Services, key: str, value: str, day: date,
                                                  field: str, message: str) -> None:
    services.rule_settings.set("public_notice_days", "7", date(2020, 1, 1))
    before, entries = services.rule_settings.entries(), services.audit.count()
    with pytest.raises(ValidationError, match=message) as raised:
        services.rule_settings.set(key, value, day)
    assert raised.value.field == field
    assert services.rule_settings.entries() == before
    assert services.audit.count() == entries


def test_viewer_reads_but_cannot_change(services: Services) -> None:
    services.rule_settings.set("public_notice_days", "7", JAN_2025)
    entry_id = services.rule_settings.history("public_notice_days")[-1].id
    assert entry_id is not None
    viewer = as_viewer(services).rule_settings
    entries = services.audit.count()
    assert viewer.on(JAN_2025).value("public_notice_days") == 7
    with pytest.raises(PermissionDeniedError):
        viewer.set("public_notice_days", "9", JAN_2025)
    with pytest.raises(PermissionDeniedError):
        viewer.remove(entry_id, "không cần")
    assert services.rule_settings.entries() == (SettingEntry("public_notice_days", "7", JAN_2025),)
    assert services.audit.count() == entries


def test_setting_a_value_is_audited(services: Services) -> None:
    services.rule_settings.set("base_salary", "2500000", date(2026, 7, 1), "NĐ mới")
    entry = services.audit.entries(limit=1)[0]
    assert (entry.action, entry.entity, entry.username) == ("create", "rule_setting", services.actor.username)
    assert entry.summary == "Đặt Mức lương cơ sở: 2.500.000 đồng từ 01/07/2026"
    assert entry.old_values is None
    assert entry.new_values == {"key": "base_salary", "value": "2500000", "effective_from": "2026-07-01",
                                "note": "NĐ mới"}
    assert services.audit.verify().ok


def test_removing_a_value_needs_a_reason_and_is_audited(services: Services) -> None:
    service = services.rule_settings
    service.set("public_notice_days", "7", JAN_2025)
    entry_id = service.history("public_notice_days")[-1].id
    assert entry_id is not None
    with pytest.raises(ValidationError, match="lý do"):
        service.remove(entry_id, "  ")
    assert len(service.entries()) == 1
    service.remove(entry_id, "Nhập nhầm")
    assert service.entries() == ()
    entry = services.audit.entries(limit=1)[0]
    assert (entry.action, entry.reason) == ("delete", "Nhập nhầm")
    assert entry.old_values is not None and entry.old_values["value"] == "7"
    assert entry.new_values is None
    assert service.on(JAN_2025).value("public_notice_days") == 5  # back to the default


def test_removing_a_missing_value_is_reported(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.rule_settings.remove(999, "lý do")


def _row(services: Services, key: str, day: date) -> SettingRow:
    return next(r for r in services.rule_settings.rows(day) if r.key == key)


def test_a_value_of_a_key_no_longer_defined_can_still_be_removed(services: Services) -> None:
    with services.sessions.begin() as session:
        session.add(RuleSettingValue(key="retired_setting", value="1", effective_from=JAN_2025,
                                     created_at=datetime(2025, 1, 1)))
    assert len(services.rule_settings.rows(JAN_2025)) == len(DEFINITIONS)  # not listed
    stored = services.rule_settings.entries()[0]
    assert stored.key == "retired_setting"
    with services.sessions() as session:
        entry_id = session.scalars(select(RuleSettingValue.id)).one()
    services.rule_settings.remove(entry_id, "Thiết lập không còn dùng")
    assert services.rule_settings.entries() == ()
    assert services.audit.entries(limit=1)[0].summary == "Xóa giá trị retired_setting từ 01/01/2025"
