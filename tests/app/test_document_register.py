"""Document register: each issuer numbers its documents per calendar year from 01 (NĐ 30/2020)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.audit import AuditFilter
from app.errors import PermissionDeniedError, ValidationError
from app.roles import Role
from app.services import Services


def _register(services: Services, issued_on: date, issuer: str = "UBND", doc_type: str = "TTr",
              number: int | None = None) -> str:
    return services.register.register(issuer=issuer, doc_type=doc_type, issued_on=issued_on,
                                      abstract="Về việc đề nghị khen thưởng", signer="Nguyễn Văn An",
                                      number=number).number_text


def test_numbers_start_at_01_and_all_types_of_one_issuer_share_the_sequence(services: Services) -> None:
    assert services.register.next_number("UBND", 2025) == 1
    assert _register(services, date(2025, 1, 2)) == "01/TTr-UBND"
    assert _register(services, date(2025, 2, 3), doc_type="QĐ") == "02/QĐ-UBND"
    assert _register(services, date(2025, 3, 4), doc_type="KH") == "03/KH-UBND"
    assert services.register.next_number("UBND", 2025) == 4


def test_a_new_year_starts_again_at_01(services: Services) -> None:
    _register(services, date(2025, 12, 31))
    _register(services, date(2025, 12, 31))
    assert _register(services, date(2026, 1, 1), doc_type="QĐ") == "01/QĐ-UBND"
    assert services.register.next_number("UBND", 2025) == 3


def test_two_issuers_number_independently(services: Services) -> None:
    assert _register(services, date(2025, 5, 1)) == "01/TTr-UBND"
    assert _register(services, date(2025, 5, 1), issuer="HĐTĐKT", doc_type="BB") == "01/BB-HĐTĐKT"
    assert _register(services, date(2025, 5, 2), issuer="hđtđkt", doc_type="BB") == "02/BB-HĐTĐKT"
    assert [r.number_text for r in services.register.rows(2025, "UBND")] == ["01/TTr-UBND"]
    assert len(services.register.rows(2025)) == 3


def test_numbers_from_ten_have_no_leading_zero(services: Services) -> None:
    texts = [_register(services, date(2025, 6, 1)) for _ in range(10)]
    assert texts[8:] == ["09/TTr-UBND", "10/TTr-UBND"]


def test_a_number_taken_on_paper_is_kept_and_the_sequence_continues_after_it(services: Services) -> None:
    assert _register(services, date(2025, 4, 1), number=7) == "07/TTr-UBND"
    assert services.register.next_number("UBND", 2025) == 8
    assert _register(services, date(2025, 3, 30), number=3) == "03/TTr-UBND"  # a gap filled from paper


def test_a_new_number_dated_before_the_latest_entry_is_refused_naming_it(services: Services) -> None:
    _register(services, date(2026, 3, 10))
    entries = services.audit.count(AuditFilter(entity="register_entry"))
    with pytest.raises(ValidationError, match=r"trước ngày của văn bản đã vào sổ gần nhất: văn bản số "
                                              r"01/TTr-UBND ngày 10/03/2026") as error:
        _register(services, date(2026, 1, 5), doc_type="QĐ")
    assert error.value.field == "issued_on"
    assert [r.number_text for r in services.register.rows(2026)] == ["01/TTr-UBND"]
    assert services.audit.count(AuditFilter(entity="register_entry")) == entries
    assert _register(services, date(2026, 3, 10), doc_type="QĐ") == "02/QĐ-UBND"  # the same day is fine
    assert _register(services, date(2025, 12, 30)) == "01/TTr-UBND"  # another year, its own order


def test_a_paper_number_must_fit_the_dates_of_its_neighbours(services: Services) -> None:
    _register(services, date(2026, 1, 5))  # 01
    _register(services, date(2026, 2, 5), number=10)
    with pytest.raises(ValidationError, match=r"Số 05 ngày 10/02/2026 .* số lớn hơn là văn bản số "
                                              r"10/TTr-UBND ngày 05/02/2026"):
        _register(services, date(2026, 2, 10), number=5)
    with pytest.raises(ValidationError, match=r"Số 05 ngày 04/01/2026 .* số nhỏ hơn là văn bản số "
                                              r"01/TTr-UBND ngày 05/01/2026"):
        _register(services, date(2026, 1, 4), number=5)
    with pytest.raises(ValidationError, match=r"Số 40 ngày 01/02/2026 .* số nhỏ hơn là văn bản số 10/TTr-UBND"):
        _register(services, date(2026, 2, 1), number=40)
    assert [r.number for r in services.register.rows(2026)] == [1, 10]
    assert _register(services, date(2026, 1, 20), number=5) == "05/TTr-UBND"


def test_a_used_number_is_refused_naming_the_document_and_nothing_is_written(services: Services) -> None:
    _register(services, date(2025, 4, 1), doc_type="QĐ")
    entries = services.audit.count(AuditFilter(entity="register_entry"))
    with pytest.raises(ValidationError, match=r"01/QĐ-UBND năm 2025 đã được cấp.*02") as error:
        _register(services, date(2025, 8, 1), number=1)
    assert error.value.field == "number"
    assert len(services.register.rows(2025)) == 1
    assert services.audit.count(AuditFilter(entity="register_entry")) == entries
    assert _register(services, date(2026, 1, 5), number=1) == "01/TTr-UBND"  # same number, next year


@pytest.mark.parametrize(("changes", "field"), [
    ({"issuer": "ub nd"}, "issuer"),
    ({"doc_type": "XX"}, "doc_type"),
    ({"abstract": "   "}, "abstract"),
    ({"number": 0}, "number"),
])
def test_bad_entries_are_refused(services: Services, changes: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"issuer": "UBND", "doc_type": "TB", "issued_on": date(2025, 3, 1),
                                 "abstract": "Thông báo kết quả bình xét", "signer": "", **changes}
    with pytest.raises(ValidationError) as error:
        services.register.register(**values)  # type: ignore[arg-type]
    assert error.value.field == field
    assert services.register.rows(2025) == []


def test_entries_are_audited_and_a_viewer_may_not_number(services: Services) -> None:
    row = services.register.register(issuer="UBND", doc_type="KH", issued_on=date(2025, 1, 10),
                                     abstract=" Kế hoạch  phát động thi đua năm 2025 ", signer="Nguyễn Văn An")
    assert row.abstract == "Kế hoạch phát động thi đua năm 2025"
    [entry] = services.audit.entries(AuditFilter(entity="register_entry"))
    assert "01/KH-UBND" in entry.summary
    viewer = Services.create(services.sessions, replace(services.actor, role=Role.VIEWER))
    with pytest.raises(PermissionDeniedError):
        _register(viewer, date(2025, 2, 1))
    clerk = Services.create(services.sessions, replace(services.actor, role=Role.CLERK))
    assert _register(clerk, date(2025, 2, 1)) == "02/TTr-UBND"
