"""For tests: what the demo content holds, and the page editor's form for a draft news page."""

# The demo article (news/demo/, `manage.py load_demo_content`, the `demo` fixture).
DEMO_TITLE = "Tăng cường hợp tác phát triển các lĩnh vực phù hợp thế mạnh địa phương"
DEMO_URL_PATH = "/tin-tuc/tang-cuong-hop-tac-phat-trien-cac-linh-vuc-phu-hop-the-manh-dia-phuong/"


# The news page editor's inline panels (Wagtail's comments, the activities the article reports
# on): their formsets' management fields, posted as the browser does when they are left empty.
NEWS_PAGE_INLINES = ("comments", "cooperation_activity_links")


def empty_inlines(names=NEWS_PAGE_INLINES):
    """The management fields of empty inline formsets named `names`."""
    management = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    return {f"{name}-{field}": value for name in names for field, value in management.items()}


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
        **empty_inlines(),
    }
    data.update(changes)
    return data
