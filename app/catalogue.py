"""The fixed vocabularies of the register, each code with its Vietnamese label.

Codes are what the database stores; labels are what officers see, type and import.
Sources are cited as in ../shared/domain/thi-dua-khen-thuong.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.vietnamese import fold

SUBJECT_KINDS = {
    "individual": "Cá nhân",
    "collective": "Tập thể",
    "household": "Hộ gia đình",
    "village": "Thôn, tổ dân phố",
}

GENDERS = {"male": "Nam", "female": "Nữ"}

# Employment category (đối tượng), used for the CT41 priority shares.
EMPLOYMENT = {
    "can_bo": "Cán bộ",
    "cong_chuc": "Công chức",
    "vien_chuc": "Viên chức",
    "nguoi_lao_dong": "Người lao động",
    "cong_nhan": "Công nhân",
    "nong_dan": "Nông dân",
    "other": "Khác",
}

# Year-end rating (xếp loại chất lượng), L2022 Điều 24 k1 a.
RATINGS = {
    "htxs": "Hoàn thành xuất sắc nhiệm vụ",
    "tot": "Hoàn thành tốt nhiệm vụ",
    "ht": "Hoàn thành nhiệm vụ",
    "kht": "Không hoàn thành nhiệm vụ",
}

VILLAGE_KINDS = {
    "thon": "Thôn",
    "to_dan_pho": "Tổ dân phố",
    "ap": "Ấp",
    "ban": "Bản",
    "other": "Khác",
}

COLLECTIVE_KINDS = {
    "agency": "Cơ quan",
    "department": "Bộ phận, phòng ban",
    "organisation": "Tổ chức chính trị - xã hội",
    "school": "Trường học",
    "health": "Cơ sở y tế",
    "enterprise": "Doanh nghiệp",
    "cooperative": "Hợp tác xã",
    "team": "Tổ, đội",
    "other": "Khác",
}

# Discipline forms (NĐ98 Điều 4 k4); "pending" is a review, investigation or complaint
# still open, during which nothing may be proposed.
DISCIPLINE_FORMS = {
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "ha_bac_luong": "Hạ bậc lương",
    "cach_chuc": "Cách chức",
    "buoc_thoi_viec": "Buộc thôi việc",
    "pending": "Đang xem xét kỷ luật, điều tra, thanh tra hoặc giải quyết khiếu nại",
}

INITIATIVE_SCOPES = {"base": "Cơ sở", "province": "Toàn tỉnh", "national": "Toàn quốc"}

# Why an award was given (NĐ98 Điều 4 k3: thematic and sudden awards are no basis for
# higher awards for sustained merit).
BASIS_KINDS = {
    "annual_duty": "Thành tích năm",
    "thematic": "Thi đua theo chuyên đề",
    "sudden": "Đột xuất",
    "contribution_period": "Quá trình cống hiến",
    "other": "Khác",
}


@dataclass(frozen=True)
class AwardKind:
    code: str
    label: str
    is_title: bool  # danh hiệu thi đua (True) or hình thức khen thưởng (False)
    subject_kinds: tuple[str, ...]


_I, _C, _H, _V = "individual", "collective", "household", "village"

AWARD_KINDS: tuple[AwardKind, ...] = (
    AwardKind("LDTT", "Lao động tiên tiến", True, (_I,)),
    AwardKind("CSTT", "Chiến sĩ tiên tiến", True, (_I,)),
    AwardKind("CSTDCS", "Chiến sĩ thi đua cơ sở", True, (_I,)),
    AwardKind("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", True, (_I,)),
    AwardKind("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", True, (_I,)),
    AwardKind("TTLDTT", "Tập thể lao động tiên tiến", True, (_C,)),
    AwardKind("TTLDXS", "Tập thể lao động xuất sắc", True, (_C,)),
    AwardKind("CO_TINH", "Cờ thi đua của tỉnh", True, (_C,)),
    AwardKind("CO_CP", "Cờ thi đua của Chính phủ", True, (_C,)),
    AwardKind("GDVH", "Gia đình văn hóa", True, (_H,)),
    AwardKind("THON_VH", "Thôn, tổ dân phố văn hóa", True, (_V,)),
    AwardKind("GK_XA", "Giấy khen của Chủ tịch UBND xã", False, (_I, _C, _H, _V)),
    AwardKind("GK_HUYEN", "Giấy khen của Chủ tịch UBND huyện", False, (_I, _C, _H, _V)),
    AwardKind("BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", False, (_I, _C, _H, _V)),
    AwardKind("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", False, (_I, _C, _H, _V)),
    AwardKind("HC_LD3", "Huân chương Lao động hạng Ba", False, (_I, _C)),
    AwardKind("OTHER", "Hình thức khác", False, (_I, _C, _H, _V)),
)
AWARDS = {kind.code: kind for kind in AWARD_KINDS}


def award_label(code: str) -> str:
    """The award's Vietnamese name; an unknown code as it is (old records, imports)."""
    kind = AWARDS.get(code)
    return kind.label if kind else code


def code_for_label(vocabulary: dict[str, str], text: str) -> str | None:
    """The code whose label or code matches `text`, ignoring case and diacritics."""
    wanted = fold(text.strip())
    for code, label in vocabulary.items():
        if wanted in (fold(label), fold(code)):
            return code
    return None


def award_code_for_label(text: str) -> str | None:
    return code_for_label({kind.code: kind.label for kind in AWARD_KINDS}, text)
