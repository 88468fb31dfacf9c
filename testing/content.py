"""For tests: what the demo content holds, and the page editor's form for a draft news page."""

# The demo article (news/demo/, `manage.py load_demo_content`, the `demo` fixture).
DEMO_TITLE = "Tăng cường hợp tác phát triển các lĩnh vực phù hợp thế mạnh địa phương"
DEMO_URL_PATH = "/tin-tuc/tang-cuong-hop-tac-phat-trien-cac-linh-vuc-phu-hop-the-manh-dia-phuong/"


def draft_news_form(**changes):
    """What the page editor posts for a draft news page with one heading, `changes` applied."""
    data = {
        "title": "Bản nháp: Hà Nội hỗ trợ Bắc Kạn xây trường",
        "slug": "ha-noi-ho-tro-bac-kan-xay-truong",
        "date": "2026-11-28",
        "author": "Nguyễn Nga",
        "intro": "Sapo của bản nháp.",
        "hero_caption": "",
        "body-count": "1",
        "body-0-type": "heading",
        "body-0-value": "Giáo dục",
        "body-0-deleted": "",
        "body-0-order": "0",
        "tags": '"giáo dục"',
    }
    data.update(changes)
    return data
