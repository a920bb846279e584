"""`tdkt self-test`: prove on a throw-away database that this installation works.

Run from the installer bundle in CI: it exercises migrations, accounts (Argon2 hashing and
sign-in), the register, search with diacritic folding, the history, the eligibility checker and
the audit trail, then
deletes the temporary folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from app.accounts import Accounts
from app.audit import AuditTrail
from app.eligibility.outcome import Status
from app.eligibility.request import DECIDE, CheckRequest
from app.errors import DomainError
from app.history import RatingRecord
from app.services import Services
from app.working_days import WorkCalendar, holiday_name
from app.subject_data import IndividualData, VillageData
from db.migrate import head_revision, open_database


_PASSWORD = "mật-khẩu-tạm"


class SelfTestFailure(DomainError):
    pass


def run_self_test() -> Iterator[str]:
    """Yield one line per passed step; raise SelfTestFailure on the first failure."""
    with tempfile.TemporaryDirectory(prefix="tdkt-self-test-") as folder:
        database = open_database(Path(folder) / "self-test.sqlite")
        try:
            yield f"Cơ sở dữ liệu tạm đã tạo, lược đồ {head_revision()}."
            sessions = sessionmaker(database.engine, expire_on_commit=False)
            accounts = Accounts(sessions, AuditTrail(sessions))
            accounts.create_first_admin("tu-kiem-tra", "Tự kiểm tra", _PASSWORD)
            services = Services.create(sessions, accounts.sign_in("TU-KIEM-TRA", _PASSWORD))
            _expect(services.actor.is_admin, "quản trị viên đầu tiên phải đăng nhập được")
            yield "Tạo tài khoản quản trị và đăng nhập: đạt."
            village = services.subjects.create(VillageData("Thôn Đông"))
            person = services.subjects.create(
                IndividualData("Đặng Thị Đức", "female", date(1990, 5, 17), village_id=village.id)
            )
            _expect(bool(person.uuid), "đối tượng mới phải có UUID")
            yield "Thêm thôn và cá nhân: đạt."
            found = services.subjects.search("dang duc")
            _expect([r.id for r in found] == [person.id], "tìm kiếm không dấu phải ra đúng người")
            yield "Tìm kiếm không dấu (kể cả đ): đạt."
            services.history.save(person.id, RatingRecord(2024, "htxs"))
            _expect(len(services.history.of(person.id).ratings) == 1, "lịch sử phải lưu được")
            yield "Ghi lịch sử xếp loại: đạt."
            outcome = services.eligibility.check_subject(
                person.id, CheckRequest("CSTDCS", 2024, date(2025, 1, 10), action=DECIDE))
            authority = next(c for c in outcome.checks if c.code == "authority")
            _expect(outcome.rule_set == "2024-ND98" and authority.status is Status.FAILED,
                    "kiểm tra điều kiện phải chặn quyết định CSTĐCS của xã trước 01/07/2025")
            services.eligibility.save(person.id, outcome)
            yield "Kiểm tra điều kiện khen thưởng theo ngày quyết định và lưu kết quả: đạt."
            notice_ends = WorkCalendar().nth_working_day(date(2026, 2, 12), 5)
            _expect(notice_ends == date(2026, 2, 25) and holiday_name(date(2026, 2, 17)) is not None,
                    "niêm yết 5 ngày làm việc từ 12/02/2026 phải kết thúc 25/02/2026 (nghỉ Tết)")
            yield "Đếm ngày làm việc qua Tết Nguyên đán: đạt."
            yield _print_check(Path(folder))
            yield _package_check(Path(folder))
            verification = services.audit.verify()
            _expect(verification.ok and verification.entries == 6, "nhật ký thao tác phải đủ và nguyên vẹn")
            yield "Nhật ký thao tác nguyên vẹn: đạt."
        finally:
            database.close()
    yield "Tự kiểm tra hoàn tất."


def _print_check(folder: Path) -> str:
    """A one-page document in the NĐ30 layout with the print font, as PDF and Word copy."""
    import fontpkg_noto_serif

    from app.documents.docx_copy import render_docx
    from app.documents.model import Document, Header, Para, Signature
    from app.documents.pdf import render_pdf
    from app.fonts import print_font

    fallback = fontpkg_noto_serif.ROOT / "files"
    _expect(len(list(fallback.glob("NotoSerif*.ttf"))) == 2, "phông chữ dự phòng Noto Serif phải có trong bộ cài")
    font = print_font()
    document = Document(
        kind="tu-kiem-tra", header=Header(("ỦY BAN NHÂN DÂN", "XÃ ĐÔNG HÒA"), "Số: 01/TB-UBND",
                                          "Đông Hòa, ngày 05 tháng 02 năm 2026"),
        type_name="THÔNG BÁO", abstract="Về việc tự kiểm tra bản in",
        body=(Para("Đủ các chữ: ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳýỷỹỵ Đđ."),),
        signatures=(Signature("CHỦ TỊCH", "Đặng Thị Đức", "TM. ỦY BAN NHÂN DÂN"),),
        recipients=("- Lưu: VT.",))
    pages = render_pdf([document], font, folder / "in-thu.pdf")
    _expect(pages == 1 and (folder / "in-thu.pdf").read_bytes().startswith(b"%PDF"),
            "văn bản in thử phải ra một trang PDF")
    render_docx([document], font.label, folder / "in-thu.docx")
    _expect((folder / "in-thu.docx").stat().st_size > 0, "bản Word phải ghi được")
    return f"In văn bản theo thể thức Nghị định 30 (phông {font.label}) ra PDF và Word: đạt."


def _package_check(folder: Path) -> str:
    """A package for the province written and verified, and an acknowledgement checked against
    its schema: the zip machinery, jsonschema and the shipped schemas work in this build."""
    from app import __version__
    from app.package.format import AUDIT_PATH, LISTING_PATH, TEMPLATE_VERSION, canonical_json
    from app.package.schemas import schema_problems
    from app.package.verify import verify_package
    from app.package.zip_writer import PackageFile, PackageHeader, write_package

    header = PackageHeader(
        uuid="00000000-0000-4000-8000-000000000001", sequence=1, previous_uuid=None,
        created_at="2026-02-05T08:00:00+07:00", app_version=__version__, rule_sets=(), engine_version="1",
        commune={"code": 1, "name": "Xã Tự Kiểm Tra", "province_code": 1, "province_name": "Tự Kiểm Tra"},
        template_version=TEMPLATE_VERSION, records=(), subjects=0)
    files = [PackageFile.of_bytes(AUDIT_PATH, canonical_json({"entries": []})),
             PackageFile.of_bytes(LISTING_PATH, b"PK\x05\x06" + bytes(18))]
    written = write_package(header, files, folder / "goi-tu-kiem-tra.zip")
    verification = verify_package(written.path)
    _expect(verification.ok, "gói hồ sơ vừa ghi phải kiểm tra đạt: " + "; ".join(verification.lines()))
    _expect(bool(schema_problems("acknowledgement", {"format": "tdkt-xa-bien-nhan"}, "bien-nhan.json")),
            "biên nhận thiếu trường phải bị lược đồ JSON từ chối")
    return "Ghi, kiểm tra gói hồ sơ gửi tỉnh và lược đồ biên nhận: đạt."


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(f"Tự kiểm tra thất bại: {message}.")
