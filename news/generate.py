# ruff: noqa: E501 (the phrase lists hold whole Vietnamese sentences, one per line)
"""
Realistic Vietnamese news pages in bulk, for benchmarks and load tests (`manage.py generate_news`).

Two halves:

- `article_data(rng, today, sectors)` composes one article — title, lead, byline, date, sectors,
  tags and a StreamField body — from the phrase lists below. It touches no database and draws
  every choice from `rng`, so a given `random.Random(seed)` always yields the same articles.
- `generate_news(count, ...)` writes them under the default site's "Tin tức" section in batches,
  without Wagtail's page-by-page `add_child`: it computes the treebeard paths itself,
  bulk-inserts the `wagtailcore_page` rows, then the `news_newspage` rows, the sector and tag
  rows, and indexes each batch for search in bulk. Each batch is one transaction that leaves a
  valid tree (the parent's `numchild` is updated in the same transaction).

What it does not create: revisions, log entries and Wagtail's reference index (image usage) rows —
generated pages are published as they are, with no history. See docs/content-model.md.
"""

import random
import time
import unicodedata
import uuid
from datetime import datetime, timedelta
from datetime import time as day_time

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backends

from publishing.signals import content_changed
from publishing.text import ascii_slug

from .demo import PLACEHOLDER_TITLE_PREFIX, load_demo_content, placeholder_image
from .models import CooperationSector, NewsIndexPage, NewsPage, NewsPageTag, NewsTag

PLACEHOLDER_CAPTION = "Ảnh minh họa cho tin tạo tự động"
YEARS_BACK = 6
SLUG_MAX_LENGTH = 200  # leaves room for a "-123456" suffix within the 255 of the slug field

# --- Phrase lists -------------------------------------------------------------------------------

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


# --- Content ------------------------------------------------------------------------------------


def nfc(text):
    return unicodedata.normalize("NFC", text)


def capitalize(text):
    return text[:1].upper() + text[1:]


def format_number(number):
    """Vietnamese digit grouping: 12000 → "12.000"."""
    return f"{number:,}".replace(",", ".")


def format_amount(millions):
    """300 → "300 triệu đồng", 5200 → "5,2 tỷ đồng", 12000 → "12 tỷ đồng"."""
    if millions < 1000:
        return f"{format_number(millions)} triệu đồng"
    billions = f"{millions / 1000:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{billions} tỷ đồng"


def quantity(rng, kind):
    if kind == "money":
        return format_amount(rng.choice(AMOUNTS))
    low, high, step, unit = QUANTITIES[kind]
    return f"{format_number(rng.randrange(low, high + 1, step))} {unit}"


def person_name(rng, female=None):
    female = rng.random() < 0.5 if female is None else female
    return f"{rng.choice(SURNAMES)} {rng.choice(FEMALE_NAMES if female else MALE_NAMES)}", female


def fill(template, context):
    return template.format_map(context)


def article_context(rng, today, sector_name, topic):
    """Every name and number one article uses, drawn once so the article is consistent."""
    district, district_full = rng.choice(DISTRICT_KEYS)
    commune_full = rng.choice(DISTRICTS[(district, district_full)])
    partner, partner_full, _ = rng.choices(PARTNERS, weights=PARTNER_WEIGHTS)[0]
    facility = rng.choice(topic["facilities"])
    start_year = rng.randrange(today.year - 12, today.year - 1)
    official, _ = person_name(rng, female=False)
    context = {
        "province": PROVINCE,
        "district": district,
        "district_full": district_full,
        "commune_full": commune_full,
        "commune_cap": capitalize(commune_full),
        "partner": partner,
        "partner_full": partner_full,
        "sector_name": sector_name,
        "sector_lower": sector_name.lower(),
        "topic": rng.choice(topic["topics"]),
        "department": topic["department"],
        "institution": rng.choice(topic["institutions"]),
        "facility": facility,
        "facility_cap": capitalize(facility),
        "technique": rng.choice(topic["techniques"]),
        "learner": rng.choice(topic["learners"]),
        "model": rng.choice(topic["models"]),
        "beneficiary": rng.choice(topic["beneficiaries"]),
        "product": rng.choice(topic["products"]),
        "event": rng.choice(EVENTS),
        "amount": format_amount(rng.choice(AMOUNTS)),
        "total": format_amount(rng.choice(AMOUNTS[8:])),
        "year": rng.randrange(today.year - YEARS_BACK, today.year + 1),
        "period": f"{start_year} – {start_year + rng.choice([3, 5])}",
        "n_years": rng.choice([3, 5, 10, 15]),
        "day": rng.randrange(1, 29),
        "month": rng.randrange(1, 13),
        "official": official,
        "official_role": rng.choice(
            [
                f"Phó Chủ tịch UBND {district_full}",
                f"Chủ tịch UBND {district_full}",
                f"Giám đốc {topic['department']} tỉnh {PROVINCE}",
            ]
        ),
        "local_org": rng.choice([f"UBND {district_full}", f"{topic['department']} tỉnh {PROVINCE}"]),
        "partner_org": f"{topic['department']} {partner_full}",
    }
    for kind in QUANTITIES:
        context[kind] = quantity(rng, kind)
    context["goal"] = fill(rng.choice(topic["goals"]), context)
    return context


class Deck:
    """Sentences dealt without repeats until the pool runs out, then reshuffled."""

    def __init__(self, rng, pool):
        self.rng = rng
        self.pool = pool
        self.cards = []

    def deal(self, count):
        count = min(count, len(set(self.pool)))
        dealt = []
        while len(dealt) < count:
            if not self.cards:
                self.cards = self.rng.sample(self.pool, k=len(self.pool))
            card = self.cards.pop()
            if card not in dealt:
                dealt.append(card)
        return dealt


def paragraph(rng, context, deck, bold_amount):
    sentences = deck.deal(rng.randint(2, 3))
    text = escape(" ".join(fill(sentence, context) for sentence in sentences))
    amount = escape(context["amount"])
    if bold_amount and amount in text:
        text = text.replace(amount, f"<b>{amount}</b>", 1)
    return f"<p>{text}</p>"


def key_figures(rng, context, topic):
    specs = rng.sample(topic["figures"], k=rng.randint(min(2, len(topic["figures"])), len(topic["figures"])))
    return {
        "title": "",
        "figures": [{"value": quantity(rng, kind), "label": fill(label, context)} for kind, label in specs],
    }


def quote(rng, context):
    name, female = person_name(rng)
    role = rng.choice(
        [
            f"Phó Chủ tịch UBND {context['district_full']}",
            f"Giám đốc Hợp tác xã ở {context['commune_full']}",
            f"người dân {context['commune_full']}",
            f"Trưởng phòng Nông nghiệp {context['district_full']}",
            f"Bí thư Đảng ủy {context['commune_full']}",
        ]
    )
    title = ("Bà" if female else "Ông") if not role.startswith("người dân") else ("Chị" if female else "Anh")
    return {"text": fill(rng.choice(QUOTES), context), "attribution": f"{title} {name}, {role}"}


def body_blocks(rng, context, topic, sector_names, image):
    """4–12 blocks: a paragraph first, sections under headings, and now and then a quote,
    a key_figures block or (about one page in five) an image."""
    count = rng.randint(4, 12)
    extras = []
    if rng.random() < 0.35:
        extras.append(("quote", quote(rng, context)))
    if rng.random() < 0.4:
        extras.append(("key_figures", key_figures(rng, context, topic)))
    if rng.random() < 0.2:
        caption = fill(rng.choice(topic["scenes"]), context)
        credit = fill(rng.choice(CREDITS), context)
        extras.append(("image", {"image": image, "caption": caption, "credit": credit}))
    deck = Deck(rng, topic["sentences"] + GENERAL_SENTENCES)
    headings = list(sector_names) + rng.sample(HEADINGS, k=len(HEADINGS))
    core = [("paragraph", paragraph(rng, context, deck, rng.random() < 0.3))]
    while len(core) < count - len(extras):
        room = count - len(extras) - len(core)
        if room >= 2 and core[-1][0] == "paragraph" and rng.random() < 0.4 and headings:
            core.append(("heading", headings.pop(0)))
        core.append(("paragraph", paragraph(rng, context, deck, rng.random() < 0.3)))
    for block in extras:
        core.insert(rng.randint(1, len(core)), block)
    return core


def article_data(rng, today, sectors, image=None):
    """
    One article as plain data: `sectors` is a list of (slug, name) pairs to choose from, `image`
    goes into image blocks as it is. Deterministic for a given state of `rng` and `today`.
    """
    chosen = rng.sample(sectors, k=min(len(sectors), rng.choices([1, 2, 3], weights=[5, 3, 2])[0]))
    topic = SECTOR_TOPICS.get(chosen[0][0], GENERIC_TOPIC)
    context = article_context(rng, today, chosen[0][1], topic)
    author = rng.choice(AUTHORS)
    context["author"] = author
    date = today - timedelta(days=rng.randrange(YEARS_BACK * 365 + 2))
    published_at = datetime.combine(date, day_time(rng.randrange(6, 22), rng.randrange(60)))
    title = capitalize(fill(rng.choice(TITLE_TEMPLATES), context))
    intro = fill(rng.choice(INTRO_TEMPLATES), context)
    body = body_blocks(rng, context, topic, [name for _, name in chosen], image)
    has_hero = rng.random() < 0.5
    hero_caption = fill(rng.choice(topic["scenes"]), context) if has_hero else ""
    tags = rng.sample(TAGS, k=rng.choice([0, 1, 1, 2, 2, 3]))
    return {
        "title": nfc(title),
        "intro": nfc(intro),
        "author": author,
        "date": date,
        "published_at": published_at,
        "sectors": [slug for slug, _ in chosen],
        "tags": tags,
        "has_hero": has_hero,
        "hero_caption": nfc(hero_caption),
        "body": [(kind, nfc_value(value)) for kind, value in body],
    }


def nfc_value(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {key: nfc_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nfc_value(item) for item in value]
    return value


# --- Writing ------------------------------------------------------------------------------------


class Progress:
    """One line on `stream`, rewritten in place: count/total, pages per second, ETA."""

    def __init__(self, stream, total):
        self.stream = stream
        self.total = total
        self.started = time.monotonic()

    def update(self, done):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate else 0
        width = len(str(self.total))
        self.stream.write(
            f"\r{done:>{width}}/{self.total} pages  {done * 100 // max(self.total, 1):3d}%  "
            f"{rate:7.0f} pages/s  ETA {format_duration(eta)}   "
        )
        self.stream.flush()

    def finish(self):
        self.stream.write("\n")
        self.stream.flush()


def format_duration(seconds):
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def find_news_index():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    return NewsIndexPage.objects.child_of(site.root_page).first()


def ensure_demo_content(log):
    """The default site's news section, created with the demo content when it is missing."""
    index = find_news_index()
    if index is None or CooperationSector.objects.count() < 8:
        load_demo_content(log=log)
        index = find_news_index()
    if index is None:
        raise RuntimeError("The default site has no news section, even after loading the demo content.")
    return index


def ensure_placeholder_image():
    title = f"{PLACEHOLDER_TITLE_PREFIX}: {PLACEHOLDER_CAPTION}"
    image = get_image_model().objects.filter(title=title).order_by("pk").first()
    return image or placeholder_image(PLACEHOLDER_CAPTION)


class SlugAllocator:
    """ASCII slugs unique among the section's children: "dong-phuc", "dong-phuc-2", ..."""

    def __init__(self, taken):
        self.taken = set(taken)
        self.next_suffix = {}

    def allocate(self, title):
        base = ascii_slug(title, max_length=SLUG_MAX_LENGTH) or "tin"
        slug = base
        if slug in self.taken:
            suffix = self.next_suffix.get(base, 2)
            while f"{base}-{suffix}" in self.taken:
                suffix += 1
            slug = f"{base}-{suffix}"
            self.next_suffix[base] = suffix + 1
        self.taken.add(slug)
        return slug


class NewsWriter:
    """Writes batches of `article_data` dicts as live NewsPages under `index`."""

    def __init__(self, index, image):
        self.index = index
        self.image = image
        self.db = router.db_for_write(Page)
        self.content_type = ContentType.objects.get_for_model(NewsPage)
        self.sector_ids = dict(CooperationSector.objects.values_list("slug", "pk"))
        self.tag_ids = {}
        self.slugs = SlugAllocator(Page.objects.child_of(index).values_list("slug", flat=True).iterator())
        sectors_field = NewsPage._meta.get_field("sectors")
        self.sector_through = sectors_field.remote_field.through
        self.sector_columns = (
            f"{sectors_field.m2m_field_name()}_id",
            f"{sectors_field.m2m_reverse_field_name()}_id",
        )
        self.local_fields = NewsPage._meta.local_concrete_fields

    def tag_id(self, name):
        if name not in self.tag_ids:
            tag, _ = NewsTag.objects.get_or_create(name__iexact=name, defaults={"name": name})
            self.tag_ids[name] = tag.pk
        return self.tag_ids[name]

    def write(self, articles):
        now = timezone.now()
        with transaction.atomic(using=self.db):
            # Lock the section row (PostgreSQL) so that nobody else computes the same paths.
            parent = Page.objects.using(self.db).select_for_update().get(pk=self.index.pk)
            last_path = (
                Page.objects.using(self.db)
                .filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            first_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
            if len(Page._int2str(first_step + len(articles) - 1)) > Page.steplen:
                raise ValueError(
                    f"The section {parent.url_path} has no room for {len(articles)} more children."
                )
            pages = []
            for step, article in enumerate(articles, start=first_step):
                slug = self.slugs.allocate(article["title"])
                published_at = min(timezone.make_aware(article["published_at"]), now)
                pages.append(
                    Page(
                        content_type=self.content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, step),
                        depth=parent.depth + 1,
                        numchild=0,
                        translation_key=uuid.uuid4(),
                        locale_id=parent.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published_at,
                        last_published_at=published_at,
                        title=article["title"],
                        draft_title=article["title"],
                        slug=slug,
                        url_path=f"{parent.url_path}{slug}/",
                        show_in_menus=False,
                        seo_title="",
                        search_description="",
                    )
                )
            Page.objects.using(self.db).bulk_create(pages)
            news = []
            for page, article in zip(pages, articles, strict=True):
                item = NewsPage(
                    page_ptr_id=page.pk,
                    date=article["date"],
                    author=article["author"],
                    intro=article["intro"],
                    hero_image_id=self.image.pk if article["has_hero"] else None,
                    hero_caption=article["hero_caption"],
                )
                item.body = [
                    (kind, {**value, "image": self.image} if kind == "image" else value)
                    for kind, value in article["body"]
                ]
                news.append(item)
            self.insert_news_rows(news)
            self.sector_through.objects.using(self.db).bulk_create(
                self.sector_through(
                    **{self.sector_columns[0]: page.pk, self.sector_columns[1]: self.sector_ids[slug]}
                )
                for page, article in zip(pages, articles, strict=True)
                for slug in article["sectors"]
            )
            NewsPageTag.objects.using(self.db).bulk_create(
                NewsPageTag(content_object_id=page.pk, tag_id=self.tag_id(name))
                for page, article in zip(pages, articles, strict=True)
                for name in article["tags"]
            )
            Page.objects.using(self.db).filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
            self.index_for_search([page.pk for page in pages])
        return pages

    def insert_news_rows(self, news):
        """
        The news_newspage rows alone: Django's bulk_create refuses multi-table-inheritance
        children, so this is the INSERT that save_base(raw=True) does for the child table
        (QuerySet._insert, which bulk_create also uses), many rows per statement. Each value goes
        through its field's get_db_prep_save: the StreamField serialises the body to JSON (jsonb
        on PostgreSQL, text on SQLite) and gives every block its uuid.
        """
        connection = connections[self.db]
        size = max(1, connection.ops.bulk_batch_size(self.local_fields, news))
        manager = NewsPage._base_manager.using(self.db)
        for start in range(0, len(news), size):
            manager._insert(news[start : start + size], fields=self.local_fields, using=self.db, raw=True)

    def index_for_search(self, ids):
        pages = []
        for start in range(0, len(ids), 500):  # IN lists under SQLite's classic 999-parameter limit
            chunk = ids[start : start + 500]
            pages.extend(NewsPage.objects.using(self.db).filter(pk__in=chunk).prefetch_related("sectors"))
        for backend in get_search_backends():
            backend.add_bulk(NewsPage, pages)


def generate_news(count, seed=1, batch_size=1000, today=None, progress=None, log=lambda message: None):
    """
    Add `count` generated NewsPages to the default site's news section; return the pages'
    number. `progress(done)` is called after each batch.
    """
    index = ensure_demo_content(log)
    sectors = list(CooperationSector.objects.order_by("sort_order", "name").values_list("slug", "name"))
    writer = NewsWriter(index, ensure_placeholder_image())
    rng = random.Random(seed)  # noqa: S311 (content, not secrets: reproducible on purpose)
    today = today or timezone.localdate()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        writer.write([article_data(rng, today, sectors) for _ in range(size)])
        transaction.on_commit(lambda: content_changed.send(sender=NewsPage))  # no Wagtail signals here
        done += size
        if progress:
            progress(done)
    refresh_planner_statistics()
    return done


def refresh_planner_statistics():
    """After a bulk load the database's statistics describe the empty tables: refresh them, so
    PostgreSQL uses the search index rather than scanning (SQLite's equivalent is cheap too)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")
