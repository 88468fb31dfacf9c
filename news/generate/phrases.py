# ruff: noqa: E501 (the phrase lists hold whole Vietnamese sentences, one per line)
"""What generated articles are made of: places, people, topics per sector, sentences (all data)."""

PROVINCE = "Bắc Kạn"

# District (short name, full name) → communes/wards (full names) of Bắc Kạn.
DISTRICTS = {
    ("Ba Bể", "huyện Ba Bể"): [
        "xã Đồng Phúc", "xã Nam Mẫu", "xã Khang Ninh", "xã Quảng Khê", "xã Thượng Giáo",
        "xã Hà Hiệu", "xã Phúc Lộc", "thị trấn Chợ Rã",
    ],
    ("Chợ Đồn", "huyện Chợ Đồn"): [
        "xã Bằng Lãng", "xã Ngọc Phái", "xã Đồng Lạc", "xã Bản Thi", "xã Xuân Lạc", "thị trấn Bằng Lũng",
    ],
    ("Na Rì", "huyện Na Rì"): [
        "xã Côn Minh", "xã Kim Hỷ", "xã Lương Thượng", "xã Văn Lang", "xã Cư Lễ", "thị trấn Yến Lạc",
    ],
    ("Bạch Thông", "huyện Bạch Thông"): [
        "xã Cẩm Giàng", "xã Cao Sơn", "xã Quân Hà", "xã Nguyên Phúc", "xã Vi Hương", "thị trấn Phủ Thông",
    ],
    ("Chợ Mới", "huyện Chợ Mới"): [
        "xã Yên Hân", "xã Thanh Mai", "xã Nông Hạ", "xã Cao Kỳ", "xã Yên Đĩnh", "thị trấn Đồng Tâm",
    ],
    ("Ngân Sơn", "huyện Ngân Sơn"): [
        "xã Bằng Vân", "xã Vân Tùng", "xã Cốc Đán", "xã Thượng Quan", "xã Đức Vân", "thị trấn Nà Phặc",
    ],
    ("Pác Nặm", "huyện Pác Nặm"): [
        "xã Nghiên Loan", "xã Bộc Bố", "xã Bằng Thành", "xã Cao Tân", "xã An Thắng", "xã Nhạn Môn",
    ],
    ("thành phố Bắc Kạn", "thành phố Bắc Kạn"): [
        "phường Đức Xuân", "phường Sông Cầu", "phường Phùng Chí Kiên", "xã Dương Quang", "xã Nông Thượng",
    ],
}  # fmt: skip
DISTRICT_KEYS = list(DISTRICTS)

# Partner localities (short name, full name, weight): most cooperation is with Hà Nội.
PARTNERS = [
    ("Hà Nội", "thành phố Hà Nội", 6),
    ("Thái Nguyên", "tỉnh Thái Nguyên", 2),
    ("Cao Bằng", "tỉnh Cao Bằng", 1),
    ("Lạng Sơn", "tỉnh Lạng Sơn", 1),
    ("Tuyên Quang", "tỉnh Tuyên Quang", 1),
    ("Vĩnh Phúc", "tỉnh Vĩnh Phúc", 1),
    ("Bắc Ninh", "tỉnh Bắc Ninh", 1),
    ("Hải Phòng", "thành phố Hải Phòng", 1),
    ("Hưng Yên", "tỉnh Hưng Yên", 1),
]
PARTNER_WEIGHTS = [weight for *_, weight in PARTNERS]


AUTHORS = [
    "Nguyễn Nga", "Hoàng Thu Trang", "Nông Văn Hùng", "Triệu Thị Mai", "Lường Minh Đức",
    "Hà Thanh Bình", "Ma Thị Hồng", "Lý Văn Toàn", "Đặng Thu Hà", "Phạm Quốc Khánh",
]  # fmt: skip

TAGS = [
    "Bắc Kạn", "Hà Nội", "hợp tác", "nông sản", "OCOP", "du lịch cộng đồng", "hồ Ba Bể",
    "chuyển đổi số", "giáo dục vùng cao", "y tế cơ sở", "làng nghề", "xúc tiến đầu tư", "cam quýt",
    "miến dong", "nông thôn mới", "an sinh xã hội", "di tích lịch sử", "khoa học công nghệ",
    "thanh niên", "doanh nghiệp",
]  # fmt: skip

SURNAMES = ["Hoàng", "Nông", "Triệu", "Lương", "Ma", "Hà", "Lý", "Đàm", "Lục", "Dương", "Nguyễn", "Bế"]
MALE_NAMES = ["Văn Hùng", "Văn Thành", "Đức Minh", "Văn Sơn", "Quang Huy", "Văn Tuấn", "Xuân Trường"]
FEMALE_NAMES = ["Thị Lan", "Thị Hoa", "Thu Hương", "Thị Nhung", "Thị Thảo", "Hồng Nhung", "Thị Mai"]

EVENTS = [
    "hội nghị ký kết thỏa thuận hợp tác", "buổi làm việc", "lễ khánh thành", "hội nghị tổng kết",
    "tuần lễ giới thiệu sản phẩm", "lễ trao tặng", "hội thảo chuyên đề", "lớp tập huấn",
    "hội nghị xúc tiến đầu tư", "chương trình khảo sát thực tế",
]  # fmt: skip

# Per sector: what articles of that sector talk about. Keys are CooperationSector slugs;
# a sector an editor added later falls back to GENERIC_TOPIC.
SECTOR_TOPICS = {
    "nong-nghiep": {
        "topics": ["phát triển nông nghiệp", "sản xuất nông nghiệp hàng hóa", "tiêu thụ nông sản"],
        "department": "Sở Nông nghiệp và Phát triển nông thôn",
        "institutions": [
            "Học viện Nông nghiệp Việt Nam",
            "Trường Đại học Nông Lâm Thái Nguyên",
            "Hội Nông dân",
        ],
        "facilities": ["nhà sơ chế nông sản", "hệ thống tưới tiết kiệm", "kho lạnh bảo quản cam quýt"],
        "techniques": ["ghép cải tạo cam quýt", "chăn nuôi lợn an toàn sinh học", "canh tác chè hữu cơ"],
        "beneficiaries": ["nông dân", "hợp tác xã nông nghiệp", "hộ trồng cam quýt"],
        "learners": ["nông dân", "cán bộ khuyến nông", "thành viên hợp tác xã"],
        "models": [
            "trồng cam quýt theo tiêu chuẩn VietGAP",
            "chăn nuôi lợn đen an toàn sinh học",
            "trồng chè Shan tuyết hữu cơ",
        ],
        "products": [
            "cam quýt",
            "gạo Bao Thai",
            "chè Shan tuyết",
            "hồng không hạt",
            "thịt lợn đen",
            "gà đồi",
            "mật ong",
            "nấm hương",
            "măng khô",
            "rau an toàn",
            "bí xanh thơm",
            "tinh bột nghệ",
        ],
        "goals": [
            "nâng cao giá trị nông sản",
            "mở rộng thị trường tiêu thụ nông sản",
            "phát triển vùng nguyên liệu tập trung",
        ],
        "sentences": [
            "Các hợp tác xã trên địa bàn {district_full} đã ký hợp đồng bao tiêu {product} với doanh nghiệp {partner}, mỗi năm tiêu thụ khoảng {tons}.",
            "Từ nguồn vốn hỗ trợ {amount}, {commune_full} đã xây dựng {facility}, giúp bà con giảm thất thoát sau thu hoạch.",
            "Hai địa phương cùng tổ chức các hội nghị kết nối cung cầu, đưa {product} của {province} vào hệ thống siêu thị tại {partner}.",
            "Mô hình liên kết sản xuất {product} theo tiêu chuẩn VietGAP với quy mô {area} đã mang lại thu nhập ổn định cho {households}.",
        ],
        "figures": [
            ("tons", "{product} được tiêu thụ tại thị trường {partner}"),
            ("area", "diện tích sản xuất {product} theo tiêu chuẩn VietGAP"),
            ("money", "kinh phí hỗ trợ xây dựng {facility}"),
            ("households", "hộ dân tham gia liên kết sản xuất"),
        ],
        "scenes": [
            "Người dân {commune_full} thu hoạch {product}",
            "Gian hàng {product} {province} tại {partner}",
        ],
    },
    "khoa-hoc-cong-nghe": {
        "topics": ["khoa học và công nghệ", "chuyển giao công nghệ", "đổi mới sáng tạo"],
        "department": "Sở Khoa học và Công nghệ",
        "institutions": [
            "Viện Nghiên cứu rau quả",
            "Viện Khoa học Nông nghiệp Việt Nam",
            "Trường Đại học Bách khoa Hà Nội",
        ],
        "facilities": [
            "phòng thí nghiệm nuôi cấy mô",
            "nhà màng trồng rau công nghệ cao",
            "trạm quan trắc môi trường",
        ],
        "techniques": [
            "nuôi cấy mô cây giống",
            "sản xuất chế phẩm sinh học",
            "truy xuất nguồn gốc bằng mã QR",
        ],
        "beneficiaries": ["hợp tác xã", "doanh nghiệp khởi nghiệp", "trại thực nghiệm"],
        "learners": ["cán bộ kỹ thuật", "thành viên hợp tác xã", "nông dân"],
        "models": [
            "nhà màng trồng rau công nghệ cao",
            "sản xuất nấm hương trên giá thể mùn cưa",
            "nuôi cấy mô cây giống",
        ],
        "products": ["rau an toàn", "nấm hương", "cam quýt", "dưa chuột", "hồng không hạt"],
        "goals": [
            "đưa tiến bộ khoa học kỹ thuật vào sản xuất",
            "nâng cao năng suất, chất lượng sản phẩm",
            "thúc đẩy chuyển đổi số ở cơ sở",
        ],
        "sentences": [
            "{department} {province} đã phối hợp với {institution} triển khai dự án ứng dụng kỹ thuật {technique} tại {district_full}.",
            "Sau {n_years} năm triển khai, dự án đã hoàn thiện nhiều quy trình kỹ thuật, được hội đồng khoa học nghiệm thu và đánh giá có tính thực tiễn cao.",
            "Các chuyên gia của {institution} trực tiếp hướng dẫn, tập huấn cho {people} về kỹ thuật {technique}.",
            "Việc ứng dụng mã QR để truy xuất nguồn gốc giúp {product} của {province} tạo được lòng tin với người tiêu dùng {partner}.",
        ],
        "figures": [
            ("people", "đào tạo, tập huấn về kỹ thuật {technique}"),
            ("models", "mô hình ứng dụng tiến bộ khoa học kỹ thuật"),
            ("money", "tổng kinh phí thực hiện dự án"),
        ],
        "scenes": [
            "Cán bộ kỹ thuật hướng dẫn bà con {commune_full}",
            "Mô hình {facility} tại {district_full}",
        ],
    },
    "cong-nghiep": {
        "topics": ["phát triển công nghiệp", "thu hút đầu tư", "phát triển hạ tầng cụm công nghiệp"],
        "department": "Sở Công Thương",
        "institutions": [
            "Hiệp hội Doanh nghiệp nhỏ và vừa",
            "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch",
        ],
        "facilities": [
            "nhà máy chế biến gỗ rừng trồng",
            "nhà máy chế biến nông sản",
            "hạ tầng cụm công nghiệp",
        ],
        "techniques": ["chế biến gỗ rừng trồng", "sấy nông sản bằng năng lượng mặt trời"],
        "beneficiaries": ["doanh nghiệp", "người lao động", "cụm công nghiệp"],
        "learners": ["công nhân", "cán bộ quản lý doanh nghiệp"],
        "models": ["liên kết doanh nghiệp – hợp tác xã", "sấy nông sản bằng năng lượng mặt trời"],
        "products": ["gỗ ván ép", "tinh bột sắn", "miến dong", "chè đóng gói"],
        "goals": [
            "tạo mặt bằng thu hút các dự án đầu tư",
            "tạo việc làm cho lao động địa phương",
            "nâng cao giá trị sản xuất công nghiệp",
        ],
        "sentences": [
            "Tỉnh tạo điều kiện thuận lợi cho các doanh nghiệp {partner} đến nghiên cứu, tìm kiếm cơ hội đầu tư vào {facility} tại {district_full}.",
            "Dự án {facility} với tổng vốn đầu tư {amount} dự kiến tạo việc làm cho khoảng {workers}.",
            "Lãnh đạo tỉnh cam kết đồng hành, tháo gỡ khó khăn về mặt bằng, thủ tục để các dự án sớm đi vào hoạt động.",
        ],
        "figures": [
            ("money", "tổng vốn đầu tư dự án {facility}"),
            ("workers", "lao động địa phương có việc làm ổn định"),
            ("projects", "dự án công nghiệp được cấp chủ trương đầu tư"),
        ],
        "scenes": ["Công trường {facility} tại {district_full}", "Công nhân làm việc tại {facility}"],
    },
    "tieu-thu-cong-nghiep": {
        "topics": ["phát triển làng nghề", "đào tạo nghề thủ công", "tiểu thủ công nghiệp"],
        "department": "Sở Công Thương",
        "institutions": ["Hiệp hội Làng nghề", "Liên minh Hợp tác xã", "Trung tâm Khuyến công"],
        "facilities": [
            "xưởng sản xuất miến dong",
            "nhà trưng bày sản phẩm làng nghề",
            "xưởng đan lát mây tre",
        ],
        "techniques": ["dệt thổ cẩm", "đan lát mây tre", "làm miến dong thủ công"],
        "beneficiaries": ["lao động nông thôn", "làng nghề", "hợp tác xã thủ công"],
        "learners": ["lao động nông thôn", "phụ nữ dân tộc thiểu số", "thành viên hợp tác xã"],
        "models": ["hợp tác xã làm miến dong", "tổ hợp tác đan lát mây tre", "làng nghề thổ cẩm"],
        "products": ["miến dong", "thổ cẩm", "hàng mây tre đan", "khẩu sli", "gỗ mỹ nghệ"],
        "goals": ["bảo tồn và phát triển nghề truyền thống", "tạo việc làm cho lao động nông thôn"],
        "sentences": [
            "{partner_full} đã cử nghệ nhân lên dạy và truyền nghề {technique} cho {workers} tại {commune_full}.",
            "Sản phẩm của làng nghề được giới thiệu tại hội chợ hàng thủ công mỹ nghệ ở {partner}, nhận được nhiều đơn đặt hàng.",
            "Hợp tác xã ở {district_full} đã đầu tư {facility}, nâng công suất và chất lượng sản phẩm.",
        ],
        "figures": [
            ("classes", "lớp đào tạo nghề {technique}"),
            ("workers", "lao động nông thôn được truyền nghề"),
            ("products", "sản phẩm làng nghề đạt chứng nhận OCOP"),
        ],
        "scenes": [
            "Nghệ nhân hướng dẫn {technique} tại {commune_full}",
            "Sản phẩm {product} của {district_full}",
        ],
    },
    "giao-duc": {
        "topics": ["giáo dục và đào tạo", "hỗ trợ học sinh vùng cao", "xây dựng trường chuẩn quốc gia"],
        "department": "Sở Giáo dục và Đào tạo",
        "institutions": ["Trường Đại học Sư phạm Hà Nội", "Hội Khuyến học", "Quỹ Bảo trợ trẻ em"],
        "facilities": ["nhà lớp học", "nhà nội trú cho học sinh", "thư viện trường học", "bếp ăn bán trú"],
        "techniques": ["dạy học trực tuyến", "đổi mới phương pháp dạy học"],
        "beneficiaries": ["học sinh nghèo", "học sinh dân tộc thiểu số", "trường vùng cao"],
        "learners": ["giáo viên vùng cao", "cán bộ quản lý giáo dục"],
        "models": ["trường bán trú", "thư viện thân thiện", "lớp học thông minh"],
        "products": ["sách giáo khoa", "máy tính"],
        "goals": [
            "giúp học sinh vùng cao có điều kiện học tập tốt hơn",
            "nâng cao chất lượng giáo dục",
            "xây dựng trường đạt chuẩn quốc gia",
        ],
        "sentences": [
            "Ngành Giáo dục và Đào tạo {partner_full} đã trao tặng {amount} để hỗ trợ học sinh nghèo {district_full} mua sách vở và đồ dùng học tập.",
            "Công trình {facility} tại {commune_full} có tổng kinh phí {amount}, đáp ứng chỗ ăn, ở cho {students}.",
            "Nhiều giáo viên của {province} được tham gia các lớp bồi dưỡng về {technique} do {institution} tổ chức.",
        ],
        "figures": [
            ("money", "hỗ trợ xây dựng {facility}"),
            ("students", "học sinh được nhận học bổng, quà tặng"),
            ("books", "sách giáo khoa và sách tham khảo được trao tặng"),
        ],
        "scenes": [
            "Học sinh {commune_full} trong ngôi trường mới",
            "Lễ trao tặng {facility} tại {district_full}",
        ],
    },
    "y-te": {
        "topics": ["y tế", "chăm sóc sức khỏe nhân dân", "chuyển giao kỹ thuật y tế"],
        "department": "Sở Y tế",
        "institutions": ["Bệnh viện Bạch Mai", "Bệnh viện Tim Hà Nội", "Bệnh viện Trung ương Thái Nguyên"],
        "facilities": ["trạm y tế xã", "phòng khám đa khoa khu vực", "khoa hồi sức tích cực"],
        "techniques": ["mổ nội soi", "can thiệp tim mạch", "chạy thận nhân tạo", "chẩn đoán hình ảnh"],
        "beneficiaries": ["người bệnh nghèo", "trạm y tế xã", "Bệnh viện Đa khoa tỉnh"],
        "learners": ["cán bộ y tế", "bác sĩ tuyến huyện", "điều dưỡng"],
        "models": ["trạm y tế xã điểm", "bác sĩ gia đình", "khám chữa bệnh từ xa"],
        "products": ["dược liệu", "thuốc nam"],
        "goals": [
            "giúp người dân được khám chữa bệnh ngay tại địa phương",
            "giảm tải cho tuyến trên",
            "nâng cao chất lượng khám chữa bệnh",
        ],
        "sentences": [
            "{institution} đã chuyển giao kỹ thuật {technique} cho Bệnh viện Đa khoa tỉnh {province}, giúp người bệnh không phải chuyển tuyến.",
            "Đoàn y, bác sĩ {partner_full} đã khám bệnh, cấp thuốc miễn phí cho {people} tại {commune_full}.",
            "Tỉnh đã cử {doctors} tham gia các khóa đào tạo chuyên sâu tại {institution}.",
        ],
        "figures": [
            ("people", "người dân được khám bệnh, cấp thuốc miễn phí"),
            ("doctors", "được đào tạo chuyên sâu về {technique}"),
            ("money", "trang thiết bị y tế được trao tặng"),
        ],
        "scenes": [
            "Bác sĩ {partner} khám bệnh cho người dân {commune_full}",
            "{facility_cap} {district_full}",
        ],
    },
    "du-lich": {
        "topics": ["phát triển du lịch", "quảng bá, xúc tiến du lịch", "liên kết phát triển du lịch"],
        "department": "Sở Văn hóa, Thể thao và Du lịch",
        "institutions": ["Hiệp hội Du lịch", "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch"],
        "facilities": ["điểm du lịch cộng đồng", "nhà đón tiếp khách du lịch", "đường lên điểm ngắm cảnh"],
        "techniques": ["làm du lịch cộng đồng", "quản lý homestay", "nghiệp vụ hướng dẫn du lịch"],
        "beneficiaries": ["hộ làm du lịch cộng đồng", "điểm du lịch", "thôn bản văn hóa"],
        "learners": ["hộ làm du lịch cộng đồng", "thanh niên", "cán bộ văn hóa xã"],
        "models": ["du lịch cộng đồng", "homestay nhà sàn", "du lịch trải nghiệm nông nghiệp"],
        "products": ["cá hồ Ba Bể", "khẩu sli", "thổ cẩm", "cam quýt"],
        "goals": [
            "đưa hồ Ba Bể trở thành điểm đến hấp dẫn",
            "thu hút du khách đến với {province}",
            "phát triển du lịch gắn với bảo tồn văn hóa",
        ],
        "sentences": [
            "{province} tham gia giới thiệu, xúc tiến du lịch tại Hội chợ Du lịch quốc tế Hà Nội (VITM), thu hút đông đảo du khách.",
            "Các doanh nghiệp lữ hành {partner} đã khảo sát và xây dựng tour kết nối hồ Ba Bể với các điểm đến ở {district_full}.",
            "Nhiều hộ dân ở {commune_full} đã cải tạo nhà sàn thành homestay, đón {visitors} mỗi năm.",
        ],
        "figures": [
            ("visitors", "du khách đến {district_full}"),
            ("homestays", "cơ sở lưu trú cộng đồng đạt chuẩn"),
            ("money", "doanh thu từ du lịch cộng đồng"),
        ],
        "scenes": ["Du khách trải nghiệm trên hồ Ba Bể", "Homestay ở {commune_full}"],
    },
    "van-hoa": {
        "topics": ["bảo tồn văn hóa", "bảo tồn di tích lịch sử", "phát huy giá trị văn hóa truyền thống"],
        "department": "Sở Văn hóa, Thể thao và Du lịch",
        "institutions": ["Viện Văn hóa Nghệ thuật quốc gia Việt Nam", "Bảo tàng Dân tộc học Việt Nam"],
        "facilities": ["nhà văn hóa thôn", "khu di tích lịch sử cách mạng", "nhà bia tưởng niệm"],
        "techniques": ["phục dựng lễ hội truyền thống", "số hóa di sản", "truyền dạy hát then, đàn tính"],
        "beneficiaries": ["đội văn nghệ thôn bản", "nghệ nhân dân gian", "nhà văn hóa thôn"],
        "learners": ["thanh thiếu niên", "đội văn nghệ thôn bản", "cán bộ văn hóa xã"],
        "models": ["câu lạc bộ hát then, đàn tính", "làng văn hóa du lịch", "bảo tồn nhà sàn truyền thống"],
        "products": ["thổ cẩm", "khẩu sli"],
        "goals": ["bảo tồn bản sắc văn hóa các dân tộc", "phát huy giá trị di tích lịch sử"],
        "sentences": [
            "{partner_full} đã hỗ trợ {amount} tu bổ, tôn tạo {facility} tại {commune_full}.",
            "Các lớp truyền dạy hát then, đàn tính được duy trì, thu hút {people} tham gia.",
            "Lễ hội Lồng tồng được phục dựng, trở thành điểm nhấn văn hóa thu hút du khách đến {district_full}.",
        ],
        "figures": [
            ("money", "hỗ trợ tu bổ, tôn tạo {facility}"),
            ("relics", "di tích được xếp hạng và tu bổ"),
            ("people", "người tham gia các lớp truyền dạy văn hóa"),
        ],
        "scenes": ["Lễ hội Lồng tồng tại {commune_full}", "{facility_cap} ở {district_full}"],
    },
}
GENERIC_TOPIC = {
    "topics": ["phát triển kinh tế – xã hội", "hợp tác toàn diện"],
    "department": "Sở Kế hoạch và Đầu tư",
    "institutions": ["Liên minh Hợp tác xã", "Hiệp hội Doanh nghiệp"],
    "facilities": ["công trình phúc lợi", "nhà văn hóa thôn"],
    "techniques": ["quản lý dự án", "chuyển đổi số"],
    "beneficiaries": ["người dân", "doanh nghiệp"],
    "learners": ["cán bộ cơ sở"],
    "models": ["hợp tác xã kiểu mới"],
    "products": ["cam quýt", "miến dong"],
    "goals": ["phát triển kinh tế – xã hội của địa phương"],
    "sentences": ["Hai địa phương thống nhất tiếp tục trao đổi kinh nghiệm, hỗ trợ lẫn nhau trong {topic}."],
    "figures": [("money", "kinh phí hỗ trợ"), ("people", "lượt người được hỗ trợ")],
    "scenes": ["Quang cảnh {event} tại {district_full}"],
}

# Numbers the articles give: (smallest, largest, step, unit).
QUANTITIES = {
    "tons": (20, 1500, 10, "tấn"),
    "area": (5, 500, 5, "ha"),
    "households": (20, 600, 5, "hộ"),
    "people": (50, 3000, 10, "lượt người"),
    "workers": (20, 300, 5, "lao động"),
    "students": (50, 2000, 10, "học sinh"),
    "doctors": (2, 40, 1, "bác sĩ"),
    "products": (3, 60, 1, "sản phẩm"),
    "visitors": (1000, 60000, 500, "lượt khách"),
    "classes": (1, 15, 1, "lớp"),
    "models": (2, 20, 1, "mô hình"),
    "projects": (2, 25, 1, "dự án"),
    "books": (500, 20000, 100, "cuốn"),
    "homestays": (5, 80, 1, "cơ sở"),
    "relics": (1, 12, 1, "di tích"),
}
# Amounts of money in millions of đồng.
AMOUNTS = [
    100, 150, 200, 250, 300, 350, 400, 500, 600, 700, 800, 900, 1000, 1200, 1500, 1800, 2000, 2500,
    3000, 3500, 4000, 4500, 5000, 5200, 6000, 7500, 8000, 10000, 12000, 15000, 20000, 25000, 30000,
]  # fmt: skip

TITLE_TEMPLATES = [
    "{partner} và {province} ký kết thỏa thuận hợp tác về {topic}",
    "{partner} hỗ trợ {amount} xây dựng {facility} tại {district}",
    "Chuyển giao kỹ thuật {technique} cho {learner} {district_full}",
    "Kết nối tiêu thụ {product} {province} tại {partner}",
    "Đẩy mạnh hợp tác {topic} giữa {province} và {partner}",
    "{district}: {facility_cap} được đưa vào sử dụng",
    "Đoàn công tác {partner_full} làm việc với {district_full} về {topic}",
    "Tổng kết {n_years} năm hợp tác {topic} giữa {province} và {partner}",
    "Hội nghị xúc tiến {topic} {province} – {partner} năm {year}",
    "{partner} trao {amount} hỗ trợ {beneficiary} {district_full}",
    "Nhân rộng mô hình {model} ở {commune_full}",
    "{commune_cap} hưởng lợi từ chương trình hợp tác với {partner}",
    "Ký kết thỏa thuận hợp tác {topic} giai đoạn {period}",
    "Tuần lễ {product} {province} tại {partner}",
    "Khánh thành {facility} do {partner} tài trợ tại {district}",
]

INTRO_TEMPLATES = [
    "Thời gian qua, việc thực hiện các nội dung hợp tác với {partner_full} đã giúp {district_full} {goal}.",
    "Ngày {day}/{month}/{year}, {local_org} và {partner_org} đã tổ chức {event} nhằm {goal}.",
    "Với sự hỗ trợ {amount} từ {partner_full}, {commune_full} ({district_full}) đang từng bước {goal}.",
    "Hợp tác trong lĩnh vực {sector_lower} giữa {province} và {partner} ngày càng đi vào chiều sâu, góp phần {goal}.",
    "Sau {n_years} năm triển khai chương trình hợp tác, {district_full} đã có nhiều chuyển biến tích cực trong {topic}.",
]

GENERAL_SENTENCES = [
    "Thực hiện chương trình hợp tác giai đoạn {period}, hai địa phương đã thống nhất nhiều nội dung cụ thể, phù hợp với thế mạnh của mỗi bên.",
    "Tại {event}, lãnh đạo {partner_full} khẳng định sẽ tiếp tục đồng hành cùng {province} trong {topic}.",
    "Theo {local_org}, đến nay nhiều nội dung hợp tác đã được triển khai hiệu quả, mang lại lợi ích thiết thực cho người dân.",
    "Ông {official}, {official_role}, cho biết địa phương sẽ tạo mọi điều kiện thuận lợi để các nội dung hợp tác sớm phát huy hiệu quả.",
    "Bên cạnh kết quả đạt được, việc triển khai vẫn còn một số khó khăn do địa hình chia cắt, giao thông đi lại chưa thuận tiện.",
    "Thời gian tới, {province} tiếp tục tăng cường hợp tác, hỗ trợ, trao đổi kinh nghiệm với {partner_full} nhằm {goal}.",
    "Nhiều hộ dân ở {commune_full} đã mạnh dạn thay đổi cách làm, thu nhập tăng rõ rệt so với trước.",
    "Tổng kinh phí thực hiện các nội dung hợp tác trong năm {year} đạt {total}, vượt kế hoạch đề ra.",
    "Mô hình {model} ở {commune_full} bước đầu cho hiệu quả rõ rệt và đang được nghiên cứu nhân rộng.",
    "Đến nay đã có {households} ở {district_full} được hưởng lợi trực tiếp từ các nội dung hợp tác.",
    "Ngoài nguồn vốn hỗ trợ, {partner_full} còn cử cán bộ lên trực tiếp hướng dẫn, chia sẻ kinh nghiệm với cơ sở.",
    "Nhiều cán bộ của {province} đã được tham gia các đợt tập huấn, khảo sát học tập kinh nghiệm tại {partner}.",
    "Các nội dung hợp tác được triển khai đồng bộ, có trọng tâm, trọng điểm, phù hợp với điều kiện thực tế của từng địa phương.",
    "Hằng năm, hai bên tổ chức sơ kết, đánh giá kết quả thực hiện và thống nhất nội dung hợp tác cho năm tiếp theo.",
    "Lãnh đạo {district_full} đánh giá cao sự quan tâm, giúp đỡ có hiệu quả của {partner_full} trong thời gian qua.",
    "Việc hợp tác góp phần thực hiện thắng lợi Chương trình mục tiêu quốc gia xây dựng nông thôn mới tại {province}.",
    "Qua đó, đời sống vật chất và tinh thần của đồng bào các dân tộc ở {commune_full} từng bước được cải thiện.",
    "Tuy nhiên, nguồn lực đầu tư còn hạn chế, một số nội dung hợp tác chưa được triển khai đúng tiến độ.",
    "{department} tỉnh {province} đang phối hợp với các đơn vị liên quan hoàn thiện kế hoạch hợp tác giai đoạn tiếp theo.",
    "Hai bên thống nhất giao {department} làm đầu mối theo dõi, đôn đốc việc thực hiện các cam kết.",
]

HEADINGS = [
    "Kết quả bước đầu", "Nhiều mô hình hiệu quả", "Tạo sinh kế cho người dân", "Định hướng hợp tác thời gian tới",
    "Tháo gỡ khó khăn, vướng mắc", "Lan tỏa hiệu quả", "Kết nối cung – cầu", "Nâng cao chất lượng nguồn nhân lực",
    "Những con số ấn tượng", "Đồng hành cùng địa phương",
]  # fmt: skip

QUOTES = [
    "Sự hỗ trợ của {partner_full} không chỉ là nguồn lực vật chất mà còn là động lực để bà con {district_full} mạnh dạn thay đổi cách làm.",
    "Chúng tôi mong muốn tiếp tục nhận được sự đồng hành của {partner_full} để {goal}.",
    "Thời gian tới, huyện sẽ tiếp tục phối hợp chặt chẽ với các sở, ngành để {goal}.",
    "Đây là kết quả cụ thể của quá trình hợp tác bền chặt giữa hai địa phương, góp phần {goal}.",
    "Nhờ mô hình {model}, cuộc sống của bà con trong thôn đã khá lên nhiều so với trước.",
]

CREDITS = ["Ảnh st", "Ảnh: {author}", "Ảnh: Trung tâm Truyền thông tỉnh", "Ảnh: {partner_org}"]
