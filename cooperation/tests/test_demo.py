"""The demo cooperation records (cooperation.demo) hold the seed article's facts, and only those."""

import html
import json

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from wagtail.models import Locale

from cooperation.amounts import format_vnd
from cooperation.demo import load_demo_cooperation, read_records
from cooperation.models import Activity, Agreement, Contribution, Output, Partner
from cooperation.partial_dates import DAY, MONTH
from news.demo import read_seed
from news.models import NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(demo):
    load_demo_cooperation()


def vietnamese(model):
    return model.objects.filter(locale__language_code="vi")


def test_education_received_at_least_14_4_billion_dong(records):
    contributions = Contribution.objects.filter(
        activity__in=vietnamese(Activity).filter(sectors__slug="giao-duc"), amount_vnd__isnull=False
    )
    total = contributions.aggregate(
        amount=Sum("amount_vnd"), lower=Count("pk", filter=Q(qualifier="at_least"))
    )
    # 300 triệu + 3 tỷ + trên 5 tỷ + 5 tỷ + 100 triệu + 1 tỷ
    assert total["amount"] == 14_400_000_000 and total["lower"] == 1
    assert format_vnd(total["amount"], "at_least") == "trên 14,4 tỷ đồng"


def test_what_happened_in_ba_be(records):
    found = vietnamese(Activity).filter(localities__name__icontains="Ba Bể").distinct()
    assert sorted(activity.title for activity in found) == [
        "Hỗ trợ xây dựng một số hạng mục tại Trường Tiểu học Đồng Phúc, huyện Ba Bể",
        "Mô hình sản xuất rau an toàn phục vụ người tiêu dùng tại Bắc Kạn",
    ]
    vegetables = found.get(title__startswith="Mô hình")
    assert (str(vegetables.start), vegetables.start.precision) == ("6/2008", MONTH)
    assert (str(vegetables.end), vegetables.end.precision) == ("6/2010", MONTH)
    assert sorted(str(output) for output in vegetables.outputs.all()) == [
        "10 ha", "14 chủng loại rau", "14 quy trình", "300 lượt người"
    ]  # fmt: skip


def test_the_agreements_as_written(records):
    agreement = vietnamese(Agreement).get(number="196/HT-UBND/HN-BK")
    assert (str(agreement.issued_on), agreement.issued_on.precision) == ("26/6/2007", DAY)
    assert (agreement.period_start, agreement.period_end) == (2007, 2010)
    assert agreement.issuer == ""  # the article does not say who issued it
    notice = vietnamese(Agreement).get(number="63/TB-UBND")
    assert (str(notice.issued_on), notice.issuer, notice.kind) == (
        "22/3/2012",
        "UBND thành phố Hà Nội",
        "notice",
    )


def test_amounts_and_gifts_in_kind_as_the_article_gives_them(records):
    shown = {
        c.description: c.amount_display()
        for c in Contribution.objects.filter(activity__locale__language_code="vi")
    }
    assert shown["kinh phí hỗ trợ xây dựng khu di tích"] == "5,2 tỷ đồng"
    assert shown["đầu tư xây dựng trường mầm non thị trấn Chợ Mới"] == "trên 5 tỷ đồng"
    assert (
        shown["01 máy điện tim để điều trị và khám chữa bệnh cho nhân dân"] == ""
    )  # in kind, no value given


def article_text():
    """The demo article's text (news/demo/seed_article.json), casefolded."""
    body = read_seed()["article"]["body"]
    parts = [read_seed()["article"]["intro"]]
    for block in body:
        value = block["value"]
        parts += [value] if isinstance(value, str) else [json.dumps(value, ensure_ascii=False)]
    return html.unescape(" ".join(parts)).casefold()


def test_every_name_place_amount_and_figure_comes_from_the_article():
    article = article_text()
    data = read_records()
    written = [partner["name"] for partner in data["partners"]]
    written += [agreement["number"] for agreement in data["agreements"]]
    for activity in data["activities"]:
        written += [place.split(", ")[0] for place in activity["places"]]
        written += [f"{part['amount']} đồng" for part in activity["contributions"] if part["amount"]]
        written += [f"{output['quantity']}" for output in activity["outputs"]]
    missing = [text for text in written if text.casefold() not in article]
    assert not missing


def test_each_record_has_its_english_translation_and_the_article_links_them(records):
    for model in (Partner, Agreement, Activity):
        assert vietnamese(model).count() == model.objects.filter(locale__language_code="en").count() > 0
    article = NewsPage.objects.get(locale__language_code="vi", title__startswith="Tăng cường hợp tác")
    assert article.cooperation_activity_links.count() == vietnamese(Activity).count() == 24
    english = article.get_translation(Locale.objects.get(language_code="en"))
    assert {
        link.activity.locale.language_code for link in english.specific.cooperation_activity_links.all()
    } == {"en"}


def test_loading_again_changes_nothing(records):
    counts = [model.objects.count() for model in (Partner, Agreement, Activity, Contribution, Output)]
    call_command("load_demo_cooperation", verbosity=0)
    assert [model.objects.count() for model in (Partner, Agreement, Activity, Contribution, Output)] == counts


def test_what_the_article_says_comes_next_is_planned(records):
    planned = vietnamese(Activity).filter(status=Activity.Status.PLANNED)
    assert planned.count() == 3 and all(activity.start is None for activity in planned)
