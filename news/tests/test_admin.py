import json
from html import unescape

from wagtail.users.models import UserProfile

from news.factories import CooperationSectorFactory


def add_news_page(client, user, news_index, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    response = client.get(f"/admin/pages/add/news/newspage/{news_index.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_news_editor_is_in_vietnamese_by_default(client, editor, news_index):
    CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep")
    client.force_login(editor)
    html = client.get(f"/admin/pages/add/news/newspage/{news_index.pk}/").content.decode()
    for label in ["Sapo", "Ngày đăng", "Tác giả", "Ảnh đại diện", "Lĩnh vực hợp tác", "Nông nghiệp"]:
        assert label in html, label
    # Block labels reach the StreamField's definitions as JSON inside an HTML attribute.
    definitions = unescape(html)
    for label in ["Con số nổi bật", "Đoạn văn", "Tiêu đề mục", "Trích dẫn", "Nội dung nhúng", "Nguồn ảnh"]:
        assert json.dumps(label)[1:-1] in definitions, label


def test_an_editor_can_switch_to_english(client, editor, news_index):
    html = add_news_page(client, editor, news_index, "en")
    assert "Lead" in html and json.dumps("Key figures")[1:-1] in unescape(html)
    assert "Sapo" not in html


def test_sector_snippets_listed_in_vietnamese(client, editor, db):
    CooperationSectorFactory(name="Y tế", slug="y-te")
    client.force_login(editor)
    html = client.get("/admin/snippets/news/cooperationsector/").content.decode()
    assert "Lĩnh vực hợp tác" in html and "Tin đã xuất bản" in html and "Y tế" in html


def test_news_listing_filters_by_sector_and_date(client, editor, news_index):
    import datetime

    from news.factories import NewsPageFactory

    health = CooperationSectorFactory(name="Y tế", slug="y-te")
    tourism = CooperationSectorFactory(name="Du lịch", slug="du-lich")
    NewsPageFactory(
        parent=news_index, title="Tin y tế tháng ba", date=datetime.date(2026, 3, 1), sectors=[health]
    )
    NewsPageFactory(
        parent=news_index, title="Tin du lịch tháng năm", date=datetime.date(2026, 5, 1), sectors=[tourism]
    )
    client.force_login(editor)

    def titles(query):
        html = client.get(f"/admin/news_pages/?{query}").content.decode()
        return {title for title in ("Tin y tế tháng ba", "Tin du lịch tháng năm") if title in html}

    assert titles("") == {"Tin y tế tháng ba", "Tin du lịch tháng năm"}
    assert titles(f"sectors={health.pk}") == {"Tin y tế tháng ba"}
    assert titles("date__gte=2026-04-01") == {"Tin du lịch tháng năm"}
    assert titles("date__lte=2026-04-01") == {"Tin y tế tháng ba"}
