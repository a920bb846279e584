"""danh-sach.xlsx (app/package/listing.py): the list the province reads and prints, the same
bytes for the same records."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from app.package.listing import COLUMNS, HEADER_ROW, ListingRow, listing_bytes, vote_text

COMMUNE = {"code": 26734, "name": "Xã Phước An", "province_code": 75, "province_name": "Đồng Nai"}
CREATED_AT = "2026-11-24T17:42:21+07:00"
ROWS = [
    ListingRow("Lê Thị Hồng Nhung", "Cá nhân", "Bằng khen của Chủ tịch UBND tỉnh", 2025, "Thủ tục thông thường",
               "Đủ điều kiện", "6/7 thành viên có mặt đồng ý – Đạt; phiên họp ngày 21/10/2026", "2 (thay bản trước)",
               "11111111-1111-4111-8111-111111111111"),
    ListingRow("Trường Tiểu học xã", "Tập thể", "Bằng khen của Chủ tịch UBND tỉnh", 2026,
               "Thủ tục đơn giản (đột xuất)", "Đủ điều kiện", vote_text(None), "1",
               "22222222-2222-4222-8222-222222222222"),
]


def test_listing_has_a_title_the_package_and_one_row_per_record() -> None:
    sheet = load_workbook(io.BytesIO(listing_bytes(COMMUNE, 3, CREATED_AT, ROWS))).active
    assert sheet["A1"].value == "DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG GỬI UBND TỈNH ĐỒNG NAI"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Xã Phước An (mã 26734), tỉnh Đồng Nai"
    assert sheet["A3"].value == "Gói hồ sơ số 3 ngày 24/11/2026: 2 hồ sơ"
    assert [c.value for c in sheet[HEADER_ROW]] == [title for title, _width in COLUMNS]
    assert all(c.font.bold and c.border.top.style == "thin" for c in sheet[HEADER_ROW])
    assert [c.value for c in sheet[HEADER_ROW + 1]] == [
        1, "Lê Thị Hồng Nhung", "Cá nhân", "Bằng khen của Chủ tịch UBND tỉnh", 2025, "Thủ tục thông thường",
        "Đủ điều kiện", "6/7 thành viên có mặt đồng ý – Đạt; phiên họp ngày 21/10/2026", "2 (thay bản trước)",
        "11111111-1111-4111-8111-111111111111"]
    assert sheet.cell(HEADER_ROW + 2, 8).value == "Không qua Hội đồng (thủ tục đơn giản)"
    assert sheet.max_row == HEADER_ROW + 2
    assert sheet.cell(HEADER_ROW + 1, 2).alignment.wrap_text


def test_listing_prints_landscape_on_a4_one_page_wide_with_the_header_kept() -> None:
    sheet = load_workbook(io.BytesIO(listing_bytes(COMMUNE, 3, CREATED_AT, ROWS))).active
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.column_dimensions["B"].width == 30


def test_same_rows_give_the_same_bytes_with_the_package_time_inside() -> None:
    first = listing_bytes(COMMUNE, 3, CREATED_AT, ROWS)
    assert listing_bytes(COMMUNE, 3, CREATED_AT, ROWS) == first
    assert listing_bytes(COMMUNE, 3, "2026-11-24T17:42:22+07:00", ROWS) != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 24, 17, 42, 20)}  # DOS times: even seconds
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified
    assert f"{properties.created:%Y-%m-%d %H:%M:%S}" == "2026-11-24 10:42:21"  # UTC


def test_vote_text_names_the_votes_the_result_and_the_day() -> None:
    council = {"votes_for": 6, "present": 7, "result": "Đạt", "held_on": "2026-10-21"}
    assert vote_text(council) == "6/7 thành viên có mặt đồng ý – Đạt; phiên họp ngày 21/10/2026"
    assert vote_text({**council, "result": ""}) == "6/7 thành viên có mặt đồng ý; phiên họp ngày 21/10/2026"
