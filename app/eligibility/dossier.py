"""The parts a dossier needs for each request (Luật 06/2022 Điều 84, 85; NĐ 86/2023 Điều 7–8),
so later screens can track completeness. Codes are stable."""

from __future__ import annotations

from app.catalogue import AWARDS
from app.eligibility.outcome import DossierPart

_K1, _K2 = "Luật 06/2022/QH15 Điều 84 k1", "Luật 06/2022/QH15 Điều 84 k2"

OLD_LAW = "Luật TĐKT 2003 (sửa đổi 2013), NĐ 91/2017/NĐ-CP"
INITIATIVE_TITLES = frozenset({"CSTDCS", "CSTD_TINH", "CSTD_TQ"})


def _report(subject_kind: str, basis: str) -> DossierPart:
    form = "Mẫu 03" if subject_kind == "individual" else "Mẫu 02"
    return DossierPart("bao_cao_thanh_tich", f"Báo cáo thành tích ({form})", basis)


def dossier_parts(award_code: str, route: str, subject_kind: str, uses_initiative: bool,
                  old_law: bool = False) -> tuple[DossierPart, ...]:
    """What the dossier for `award_code` by `route` must contain. Before 2024 the parts are
    the same kinds of document, cited to the law then in force."""
    parts = _parts(award_code, route, subject_kind, uses_initiative)
    if not old_law:
        return parts
    return tuple(DossierPart(p.code, p.label, f"{OLD_LAW} (nội dung tương ứng {p.basis})") for p in parts)


def _parts(award_code: str, route: str, subject_kind: str, uses_initiative: bool) -> tuple[DossierPart, ...]:
    if route == "sudden":
        basis = "Luật 06/2022/QH15 Điều 85"
        return (DossierPart("to_trinh", "Tờ trình kèm danh sách đề nghị", basis),
                DossierPart("bao_cao_tom_tat", "Báo cáo tóm tắt thành tích, có xác nhận của thủ trưởng", basis))
    if award_code == "GDVH":
        basis = "NĐ 86/2023/NĐ-CP Điều 7 k1"
        return (DossierPart("danh_sach_binh_xet", "Danh sách hộ đạt tiêu chí do trưởng thôn lập", basis),
                DossierPart("bien_ban_niem_yet", "Biên bản niêm yết công khai 10 ngày", basis))
    if award_code == "THON_VH":
        basis = "NĐ 86/2023/NĐ-CP Điều 8"
        return (DossierPart("to_trinh", "Tờ trình (Mẫu 04)", basis),
                DossierPart("bao_cao_thanh_tich", "Báo cáo thành tích của thôn, tổ dân phố (Mẫu 05)", basis),
                DossierPart("bien_ban_binh_xet", "Biên bản bình xét (Mẫu 06)", basis),
                DossierPart("ket_qua_lay_y_kien", "Kết quả lấy ý kiến công khai 10 ngày", basis))
    if AWARDS[award_code].is_title:
        parts = [DossierPart("to_trinh", "Tờ trình đề nghị", _K1), _report(subject_kind, _K1),
                 DossierPart("bien_ban_binh_xet", "Biên bản bình xét thi đua", _K1)]
        if award_code in INITIATIVE_TITLES and (uses_initiative or award_code != "CSTDCS"):
            parts.append(DossierPart("xac_nhan_sang_kien",
                                     "Giấy chứng nhận hoặc xác nhận sáng kiến, đề tài của cấp có thẩm quyền", _K1))
        if award_code == "CO_TINH":
            parts.append(DossierPart("bien_ban_cum_khoi", "Biên bản chấm điểm, suy tôn của cụm, khối thi đua",
                                     "Luật 06/2022/QH15 Điều 26"))
        return tuple(parts)
    parts = [DossierPart("to_trinh", "Tờ trình đề nghị", _K2), _report(subject_kind, _K2),
             DossierPart("bien_ban_xet", "Biên bản xét khen thưởng", _K2)]
    if uses_initiative:
        parts.append(DossierPart("xac_nhan_sang_kien",
                                 "Giấy chứng nhận hoặc xác nhận sáng kiến, đề tài là căn cứ đề nghị", _K2))
    return tuple(parts)
