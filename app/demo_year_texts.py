"""Words for the demo's emulation years (app/demo_year.py): movement plans, achievements,
reasons. Kept apart so the flow reads as the steps an officer takes."""

from __future__ import annotations

REGULAR_NAME = ("Phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội, "
                "bảo đảm quốc phòng, an ninh năm {year}")
REGULAR_OBJECTIVES = ("Động viên cán bộ, công chức, viên chức và nhân dân {commune} thi đua hoàn thành "
                      "thắng lợi các chỉ tiêu phát triển kinh tế - xã hội năm {year}; phát hiện, bồi dưỡng, "
                      "nhân rộng điển hình tiên tiến.")
REGULAR_CRITERIA = ("Hoàn thành xuất sắc nhiệm vụ được giao; chấp hành tốt chủ trương, chính sách, pháp "
                    "luật; tích cực tham gia các phong trào thi đua, hoạt động xã hội.")
REGULAR_PARTICIPANTS = ("Cán bộ, công chức, viên chức, người lao động; các tập thể thuộc {commune}; "
                        "hộ gia đình và các {villages}.")
THEMATIC = {
    "thon": ("Chung sức xây dựng nông thôn mới",
             "Huy động nguồn lực xã hội hóa, phấn đấu giữ vững và nâng cao các tiêu chí xã nông thôn mới."),
    "to_dan_pho": ("Chung tay xây dựng đô thị văn minh",
                   "Chỉnh trang đô thị, giữ gìn vệ sinh môi trường, xây dựng tổ dân phố văn minh."),
}
CULTURE_MOVEMENT = ("Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
                    "Giữ gìn bản sắc văn hóa, xây dựng gia đình, khu dân cư văn hóa, nếp sống văn minh.")
THEMATIC_CRITERIA = "Có đóng góp công sức, vật chất, đất đai hoặc sáng kiến thiết thực cho phong trào."
THEMATIC_PARTICIPANTS = "Hộ gia đình, cá nhân, tập thể và các {villages} trên địa bàn {commune}."

# What a thematic Giấy khen rewards, by kind of subject; {village} is where it happened.
THEMATIC_ACHIEVEMENTS = {
    "household": ("Hiến {n}0 m² đất và góp ngày công mở rộng đường giao thông tại {village}.",
                  "Tự nguyện tháo dỡ tường rào, hiến {n}0 m² đất làm đường liên thôn tại {village}."),
    "village": ("Vận động nhân dân góp {n}00 triệu đồng bê tông hóa {n} km đường {village}.",
                "Hoàn thành tuyến đường hoa, thắp sáng đường quê dài {n} km tại {village}."),
    "collective": ("Vận động hội viên đóng góp {n}00 ngày công làm đường giao thông nội đồng.",
                   "Hỗ trợ {n} hộ nghèo xây nhà vệ sinh, hoàn thành tiêu chí môi trường."),
    "individual": ("Tích cực vận động {n}0 hộ dân hiến đất, góp công làm đường tại {village}.",
                   "Ủng hộ {n}0 triệu đồng và vật liệu xây dựng nhà văn hóa {village}."),
}
SUDDEN_EVENTS = (
    "Dũng cảm cứu {n} người bị nước lũ cuốn trôi tại {village} ngày {day}.",
    "Kịp thời dập tắt đám cháy nhà dân, cứu {n} người mắc kẹt tại {village} ngày {day}.",
    "Phát hiện, phối hợp bắt giữ đối tượng trộm cắp tài sản tại {village} ngày {day}.",
)
NOT_APPROVED = {
    "CSTD_TINH": ("Hội đồng Thi đua - Khen thưởng tỉnh đã xét chọn đủ số Chiến sĩ thi đua cấp tỉnh "
                  "năm {year} theo thứ tự thành tích; đề nghị xã xem xét trình lại năm sau."),
    "other": "UBND tỉnh đề nghị Chủ tịch UBND xã khen thưởng theo thẩm quyền.",
}
REMOVED_REASON = "Đã chuyển công tác khỏi xã từ tháng 12/{year}; đơn vị mới xem xét."
RETURNED_REASON = ("Tóm tắt thành tích chưa có xác nhận của Trưởng {village_word} và Ban công tác "
                   "Mặt trận; đề nghị bổ sung rồi trình lại.")
CORRECTION_REASON = ("Thư ký ghi nhầm số phiếu đồng ý của {name} ({wrong} phiếu, đúng là {right} "
                     "phiếu theo biên bản kiểm phiếu).")
REVOKED_REASON = ("Kết luận kiểm tra: kê khai ngày công không trung thực trong năm {year}; thu hồi "
                  "theo Luật Thi đua, khen thưởng số 06/2022/QH15, Chương VII.")
TTLDTT_REASON = "Bổ sung sau khi có quyết định công nhận Lao động tiên tiến năm {year} của các thành viên."
TTLDXS_REASON = "Đơn vị hoàn thành xuất sắc nhiệm vụ năm {year}, có Chiến sĩ thi đua cơ sở; trình cấp trên."
BK_SUMMARY = "Hai năm liên tục ({first}, {last}) đạt danh hiệu Chiến sĩ thi đua cơ sở."
CSTD_SUMMARY = ("Ba năm liên tục đạt Chiến sĩ thi đua cơ sở ({first}–{last}); sáng kiến «{initiative}» "
                "được công nhận phạm vi ảnh hưởng toàn tỉnh.")
PROVINCE_INITIATIVE = "Số hóa hồ sơ thủ tục hành chính cấp xã trên nền tảng dùng chung của tỉnh"
MOVEMENT_RESULTS = ("{registered} lượt đăng ký thi đua; {decided} danh hiệu, hình thức khen thưởng đã "
                    "đề nghị. Nhiều mô hình hay được nhân rộng.")
THEMATIC_RESULTS = ("Làm mới {km} km đường giao thông, {households} hộ hiến đất, góp ngày công; "
                    "{nominated} tập thể, hộ gia đình, cá nhân được đề nghị khen thưởng.")
EXEMPLARY_WHY = "Điển hình tiên tiến của phong trào năm {year}, được biểu dương tại hội nghị tổng kết."
COUNCIL_TITLE = "Họp Hội đồng Thi đua - Khen thưởng xét danh hiệu thi đua năm {year}"
COUNCIL_TITLE_2 = "Họp Hội đồng Thi đua - Khen thưởng xét tập thể và đề nghị cấp trên khen thưởng năm {year}"
COUNCIL_TITLE_THEMATIC = "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng phong trào «{movement}»"
COUNCIL_PLACE = "Hội trường UBND {commune}"
SUDDEN_ABSTRACT = "Về việc khen thưởng thành tích đột xuất"
THEMATIC_ABSTRACT = "Về việc khen thưởng thành tích trong phong trào thi đua «{movement}» năm {year}"
# Members of the council beyond the chairman, vice-chairmen and the officer, by their post.
COUNCIL_POSTS = ("Chủ tịch Ủy ban Mặt trận Tổ quốc", "Chủ tịch Hội Liên hiệp Phụ nữ",
                 "Chủ tịch Hội Nông dân", "Chủ tịch Hội Cựu chiến binh", "Bí thư Đoàn Thanh niên",
                 "Chánh Văn phòng")
