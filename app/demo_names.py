"""What the demo commune is made of: names with their frequencies, places, collectives and posts.

Plain tables and two small helpers the demo planners share; `Place` names the commune
itself and the chairmen who sign its decisions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.services import Services

# Weights roughly follow the national shares of family names (Nguyễn ~38%).
FAMILY_NAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 3.2, "Huỳnh": 2.3, "Phan": 4.5,
    "Vũ": 2.2, "Võ": 2.2, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 0.7, "Trương": 0.7, "Đào": 0.5, "Lâm": 0.5, "Mai": 0.5, "Đoàn": 0.5,
    "Trịnh": 0.5, "Lương": 0.4, "Cao": 0.4, "Hà": 0.4, "Tạ": 0.3, "Châu": 0.3, "Tô": 0.3,
    "Lưu": 0.3, "Vương": 0.3, "Thái": 0.3, "Phùng": 0.3, "Kiều": 0.2, "La": 0.2, "Triệu": 0.2,
}
MIDDLE_NAMES = {
    "male": {"Văn": 40, "Đức": 8, "Minh": 8, "Quốc": 6, "Hữu": 6, "Công": 5, "Thanh": 5, "Quang": 5,
             "Đình": 5, "Xuân": 4, "Ngọc": 4, "Tấn": 4, "Trọng": 4, "Hoàng": 3, "Anh": 2},
    "female": {"Thị": 55, "Ngọc": 8, "Thu": 6, "Thanh": 6, "Kim": 5, "Minh": 4, "Mỹ": 4, "Hồng": 4,
               "Phương": 3, "Bích": 3, "Thúy": 2, "Diệu": 2, "Khánh": 2},
}
SECOND_MIDDLE = ("Thu", "Ngọc", "Kim", "Mỹ", "Thanh", "Hồng", "Bích")
GIVEN_NAMES = {
    "male": ("An", "Anh", "Bình", "Cường", "Công", "Dũng", "Duy", "Đạt", "Định", "Đông", "Đức",
             "Dương", "Hải", "Hậu", "Hiếu", "Hòa", "Hùng", "Hưng", "Huy", "Khải", "Khánh", "Khoa",
             "Kiên", "Lâm", "Lộc", "Long", "Luân", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong",
             "Phúc", "Quân", "Quang", "Sang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh",
             "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ"),
    "female": ("An", "Anh", "Bích", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Đào", "Giang", "Hà",
               "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên",
               "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
               "Quyên", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thủy", "Trang", "Trinh", "Tuyết",
               "Uyên", "Vân", "Xuân", "Yến"),
}
# Ethnic groups of villages flagged as ethnic-minority areas, and their usual family names.
AREA_ETHNIC_GROUPS = {
    "Chơ Ro": ("Điểu", "Lâm"), "Xtiêng": ("Điểu", "Lâm", "Thị"), "Mạ": ("Điểu", "Hoàng"),
    "Khmer": ("Thạch", "Danh", "Sơn", "Kim", "Lâm"),
}
SCATTERED_ETHNIC_GROUPS = {
    "Hoa": ("Lâm", "Lý", "Trương", "Quách", "Hứa"), "Tày": ("Hoàng", "Nông", "Lương", "Hà"),
    "Nùng": ("Nông", "Hoàng", "Vi", "Lương"), "Mường": ("Bùi", "Đinh", "Quách"),
}
RELIGIONS = {"Không": 72, "Phật giáo": 14, "Công giáo": 10, "Cao Đài": 2, "Tin Lành": 1.5,
             "Phật giáo Hòa Hảo": 0.5}
# Where people were born: province names as on their papers, with the code their ID starts with.
BIRTH_PROVINCES = (("Hà Nội", 1), ("Thái Bình", 34), ("Nam Định", 36), ("Thanh Hóa", 38),
                   ("Nghệ An", 40), ("Hà Tĩnh", 42), ("Quảng Bình", 44), ("Quảng Ngãi", 51),
                   ("Bình Định", 52), ("Bình Phước", 70), ("Tây Ninh", 72), ("Bình Dương", 74),
                   ("Thành phố Hồ Chí Minh", 79), ("Long An", 80))
PLACE_WORDS = ("An", "Bình", "Phú", "Hòa", "Tân", "Phước", "Long", "Thạnh", "Hưng", "Mỹ", "Lộc",
               "Thuận", "Xuân", "Đông", "Tây", "Trung", "Thành", "Lợi", "Hiệp", "Vĩnh", "Khánh",
               "Thịnh", "Đức", "Nghĩa", "Sơn", "Hải", "Lạc", "Hậu", "Cát", "Quới")

# Collectives every commune has: key, name pattern, kind, parent key.
CORE_COLLECTIVES = (
    ("party", "Đảng ủy {commune}", "agency", None),
    ("council", "Hội đồng nhân dân {commune}", "agency", None),
    ("ubnd", "Ủy ban nhân dân {commune}", "agency", None),
    ("office", "Văn phòng HĐND và UBND {commune}", "department", "ubnd"),
    ("economy", "Phòng Kinh tế {commune}", "department", "ubnd"),
    ("culture", "Phòng Văn hóa - Xã hội {commune}", "department", "ubnd"),
    ("service", "Trung tâm Phục vụ hành chính công {commune}", "department", "ubnd"),
    ("military", "Ban Chỉ huy quân sự {commune}", "department", "ubnd"),
    ("front", "Ủy ban Mặt trận Tổ quốc Việt Nam {commune}", "organisation", None),
    ("women", "Hội Liên hiệp Phụ nữ {commune}", "organisation", "front"),
    ("farmers", "Hội Nông dân {commune}", "organisation", "front"),
    ("veterans", "Hội Cựu chiến binh {commune}", "organisation", "front"),
    ("youth", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {commune}", "organisation", "front"),
    ("health", "Trạm Y tế {commune}", "health", None),
    ("kindergarten", "Trường Mầm non {place}", "school", "ubnd"),
    ("primary", "Trường Tiểu học {place}", "school", "ubnd"),
    ("secondary", "Trường Trung học cơ sở {place}", "school", "ubnd"),
    ("primary_2", "Trường Tiểu học {place}", "school", "ubnd"),
    ("coop", "Hợp tác xã Nông nghiệp {place}", "cooperative", None),
    ("coop_2", "Hợp tác xã Dịch vụ tổng hợp {place}", "cooperative", None),
    ("firm", "Công ty TNHH May mặc {place}", "enterprise", None),
)
# Village-level collectives, one of each per village: name pattern, kind, parent key.
VILLAGE_COLLECTIVES = (
    ("Chi hội Phụ nữ {village}", "organisation", "women"),
    ("Chi hội Nông dân {village}", "organisation", "farmers"),
    ("Chi đoàn {village}", "organisation", "youth"),
    ("Tổ bảo vệ an ninh, trật tự {village}", "team", None),
    ("Chi hội Cựu chiến binh {village}", "organisation", "veterans"),
    ("Tổ hòa giải {village}", "team", "front"),
)
# Posts of cán bộ (elected or appointed), with the collective they belong to.
CAN_BO_POSTS = (
    ("Bí thư Đảng ủy", "party"), ("Chủ tịch Ủy ban nhân dân", "ubnd"),
    ("Phó Bí thư Thường trực Đảng ủy", "party"), ("Chủ tịch Hội đồng nhân dân", "council"),
    ("Phó Chủ tịch Ủy ban nhân dân", "ubnd"), ("Phó Chủ tịch Ủy ban nhân dân", "ubnd"),
    ("Chủ tịch Ủy ban Mặt trận Tổ quốc", "front"), ("Phó Chủ tịch Hội đồng nhân dân", "council"),
    ("Chủ tịch Hội Liên hiệp Phụ nữ", "women"), ("Chủ tịch Hội Nông dân", "farmers"),
    ("Chủ tịch Hội Cựu chiến binh", "veterans"), ("Bí thư Đoàn Thanh niên", "youth"),
    ("Phó Chủ tịch Ủy ban Mặt trận Tổ quốc", "front"),
)
CONG_CHUC_UNITS = ("office", "economy", "culture", "service", "military")
CONG_CHUC_HEADS = {"office": ("Chánh Văn phòng", "Phó Chánh Văn phòng"),
                   "service": ("Giám đốc", "Phó Giám đốc"),
                   "military": ("Chỉ huy trưởng", "Chỉ huy phó")}
HEALTH_TITLES = ("Bác sĩ", "Y sĩ", "Điều dưỡng", "Dược sĩ", "Hộ sinh")
CONTRACT_TITLES = ("Nhân viên hợp đồng", "Lái xe", "Bảo vệ", "Nhân viên phục vụ", "Kế toán hợp đồng")


@dataclass(frozen=True)
class Place:
    """How the commune, its villages and the signers above it are named."""

    commune: str  # "xã Phước An", as it appears inside other names
    village_kind: str
    village_word: str  # "Thôn" or "Tổ dân phố"
    province: str  # "tỉnh Đồng Nai"
    province_name: str
    province_code: int
    issuer_symbol: str
    district_chairman: str

    @property
    def commune_chairman(self) -> str:
        return f"Chủ tịch UBND {self.commune}"

    @property
    def province_chairman(self) -> str:
        return f"Chủ tịch UBND {self.province}"

    @classmethod
    def of(cls, services: Services, rng: random.Random) -> Place:
        setup = services.commune.get()
        district = f"Chủ tịch UBND huyện {' '.join(rng.sample(PLACE_WORDS, 2))}"
        if setup is None:
            return cls("xã Phước An", "thon", "Thôn", "tỉnh Đồng Nai", "Đồng Nai", 75, "UBND", district)
        from app import divisions

        province = divisions.province(setup.province_code)
        province_word = "thành phố" if province and province.kind.startswith("thành phố") else "tỉnh"
        urban = setup.commune_kind == "phường"
        return cls(
            commune=f"{setup.commune_kind} {setup.place_name}",
            village_kind="to_dan_pho" if urban else "thon",
            village_word="Tổ dân phố" if urban else "Thôn",
            province=f"{province_word} {setup.province_name}",
            province_name=setup.province_name,
            province_code=setup.province_code,
            issuer_symbol=setup.issuer_symbol,
            district_chairman=district,
        )


def place_names() -> list[str]:
    """Two-word names such as 'Phú Hòa', for villages, schools and cooperatives."""
    return [f"{a} {b}" for a in PLACE_WORDS for b in PLACE_WORDS if a != b]


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of `weights`, drawn with the odds its value gives it."""
    return rng.choices(list(weights), list(weights.values()))[0]
