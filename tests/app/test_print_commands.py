"""`tdkt print KIND --nomination/--session/--decision --out FILE` on the small demo commune."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.documents.kinds import Kind, Owner
from app.documents.model import DocumentError
from app.services import Services
from db.migrate import open_database
from db.models import CouncilSession, Decision, DecisionItem, Nomination, Subject
from tests.app.pdf_reading import read_pdf
from tests.conftest import OFFICER, as_officer, demo_clock
from tests.conftest import account as account_of
from ui.main import main


@pytest.fixture
def demo_file(small_demo_database: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(small_demo_database, path)
    return path


def looked_up(path: Path, find: Callable[[Services], int]) -> int:
    database = open_database(path)
    try:
        sessions = sessionmaker(database.engine, expire_on_commit=False)
        return find(Services.create(sessions, account_of(sessions, OFFICER[0]), demo_clock))
    finally:
        database.close()


def printable(services: Services, kind: Kind, owner_type: str, ids: list[int]) -> int:
    """The first owner the document can be printed for."""
    for id_ in ids:
        try:
            services.printing.documents(kind, [Owner(owner_type, id_)])
            return id_
        except DocumentError:
            continue
    raise AssertionError(f"nothing to print as {kind}")


def session_ids(services: Services) -> list[int]:
    with services.sessions() as session:
        return list(session.scalars(select(CouncilSession.id).order_by(CouncilSession.id)))


def test_an_achievement_report_is_written_as_pdf_and_word(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def person(services: Services) -> int:
        with services.sessions() as session:
            return session.scalars(select(Nomination.id).join(Subject, Subject.id == Nomination.subject_id)
                                   .where(Subject.kind == "individual", Nomination.state == "approved")
                                   .order_by(Nomination.id)).first()

    nomination = looked_up(demo_file, person)
    out = tmp_path / "bao-cao.pdf"
    assert main([*as_officer(demo_file), "print", "bao-cao-thanh-tich", "--nomination", str(nomination),
                 "--out", str(out)]) == 0
    assert "Đã ghi báo cáo thành tích" in capsys.readouterr().out
    assert "BÁO CÁO THÀNH TÍCH" in read_pdf(out).text
    word = tmp_path / "bao-cao.docx"
    assert main([*as_officer(demo_file), "print", "bao-cao-thanh-tich", "--nomination", str(nomination),
                 "--out", str(word)]) == 0
    assert any(p.text == "BÁO CÁO THÀNH TÍCH" for p in docx.Document(str(word)).paragraphs)


@pytest.mark.parametrize(("kind", "heading"), [
    ("to-trinh", "TỜ TRÌNH"), ("bien-ban", "BIÊN BẢN"), ("thong-bao", "THÔNG BÁO"),
    ("danh-sach", "DANH SÁCH TRÍCH NGANG")])
def test_session_documents_are_written_headless(
        demo_file: Path, officer_password: None, tmp_path: Path, kind: str, heading: str) -> None:
    session_id = looked_up(demo_file, lambda s: printable(s, Kind(kind), "session", session_ids(s)))
    out = tmp_path / f"{kind}.pdf"
    assert main([*as_officer(demo_file), "print", kind, "--session", str(session_id), "--out", str(out)]) == 0
    assert heading in read_pdf(out).text


def test_a_decision_and_its_certificates_are_written_headless(
        demo_file: Path, officer_password: None, tmp_path: Path) -> None:
    def with_certificates(services: Services) -> int:
        with services.sessions() as session:
            return session.scalars(select(Decision.id).join(DecisionItem).where(DecisionItem.award_code == "GK_XA")
                                   .order_by(Decision.id)).first()

    decision = looked_up(demo_file, with_certificates)
    out = tmp_path / "quyet-dinh.pdf"
    assert main([*as_officer(demo_file), "print", "quyet-dinh", "--decision", str(decision), "--out", str(out)]) == 0
    assert "QUYẾT ĐỊNH" in read_pdf(out).text
    certificates = tmp_path / "giay-khen.pdf"
    assert main([*as_officer(demo_file), "print", "giay-khen", "--decision", str(decision),
                 "--out", str(certificates)]) == 0
    pdf = read_pdf(certificates)
    assert "GIẤY KHEN" in pdf.text and "Số vào sổ: 1" in pdf.text
    # Printing them again is a reprint: it needs a reason.
    assert main([*as_officer(demo_file), "print", "giay-khen", "--decision", str(decision),
                 "--out", str(certificates)]) == 1
    assert main([*as_officer(demo_file), "print", "giay-khen", "--decision", str(decision),
                 "--out", str(certificates), "--reason", "Giấy bị nhòe mực"]) == 0


def test_wrong_owner_suffix_or_id_are_refused_with_a_message(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    assert main([*as_officer(demo_file), "print", "bien-ban", "--decision", "1", "--out", str(out)]) == 1
    assert "không in theo quyết định; hãy dùng --session" in capsys.readouterr().err
    assert main([*as_officer(demo_file), "print", "quyet-dinh", "--decision", "1", "--out",
                 str(tmp_path / "x.odt")]) == 1
    assert "đuôi .pdf hoặc .docx" in capsys.readouterr().err
    assert main([*as_officer(demo_file), "print", "quyet-dinh", "--decision", "1", "--out",
                 str(tmp_path / "x.docx")]) == 1
    assert "không xuất ra tệp Word" in capsys.readouterr().err
    assert main([*as_officer(demo_file), "print", "bao-cao-thanh-tich", "--nomination", "99999",
                 "--out", str(out)]) == 1
    assert capsys.readouterr().err.startswith("Lỗi: ")
    assert not out.exists()


def test_sessions_and_decisions_list_the_ids_print_takes(
        demo_file: Path, officer_password: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*as_officer(demo_file), "sessions", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "Năm 2025: 4 phiên họp Hội đồng." in out
    assert out.splitlines()[0].split("\t")[0].isdigit()
    assert main([*as_officer(demo_file), "decisions", "--year", "2025"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0].isdigit()


def test_a_comma_list_is_taken_only_for_nominations(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    for kind, option in (("giay-khen", "--decision"), ("quyet-dinh", "--decision"), ("bien-ban", "--session")):
        assert main([*as_officer(demo_file), "print", kind, option, "3,99", "--out", str(out)]) == 1
        assert "chỉ in theo một mã" in capsys.readouterr().err
    assert main([*as_officer(demo_file), "print", "quyet-dinh", "--decision", ",", "--out", str(out)]) == 1
    assert "Hãy cho mã quyết định cần in." in capsys.readouterr().err
    assert not out.exists()


def test_a_decision_without_giay_khen_is_named_on_the_command_line(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def workers_only(services: Services) -> int:  # 01/QĐ-UBND of 2025: Lao động tiên tiến only
        with services.sessions() as session:
            return session.scalars(select(Decision.id).where(Decision.number == "01/QĐ-UBND")
                                   .order_by(Decision.decided_on)).first()

    decision = looked_up(demo_file, workers_only)
    out = tmp_path / "giay-khen.pdf"
    assert main([*as_officer(demo_file), "print", "giay-khen", "--decision", str(decision), "--out", str(out)]) == 1
    assert ("Quyết định số 01/QĐ-UBND không có Giấy khen nào để in (hoặc đều đã bị thu hồi)."
            in capsys.readouterr().err)
    assert not out.exists()


def test_an_empty_id_is_asked_for_and_a_repeated_one_prints_once(
        demo_file: Path, officer_password: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bao-cao.pdf"
    assert main([*as_officer(demo_file), "print", "bao-cao-thanh-tich", "--nomination", "",
                 "--out", str(out)]) == 1
    assert "Hãy cho mã đề nghị cần in." in capsys.readouterr().err
    assert not out.exists()

    def person(services: Services) -> int:
        return printable(services, Kind.REPORT, "nomination", list(range(1, 60)))

    nomination = looked_up(demo_file, person)
    assert main([*as_officer(demo_file), "print", "bao-cao-thanh-tich", "--nomination",
                 f"{nomination},{nomination}", "--out", str(out)]) == 0
    once = tmp_path / "mot.pdf"
    assert main([*as_officer(demo_file), "print", "bao-cao-thanh-tich", "--nomination", str(nomination),
                 "--out", str(once)]) == 0
    assert len(read_pdf(out).pages) == len(read_pdf(once).pages)
