"""
The cooperation records in the admin (cooperation.models, cooperation.views): reporters draft and
submit, editors publish, through the newsroom's review workflow; dates keep their precision, amounts
are typed and shown as Vietnamese write them; the listing filters and exports.
"""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Locale, WorkflowState

from cooperation.models import Activity, ActivityLocality, ActivityPartner, Agreement, Contribution, Partner
from cooperation.partial_dates import PartialDate
from editorial.roles import EDITORS, REPORTERS, WORKFLOW
from news.models import CooperationSector
from testing.users import PASSWORD, desk_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sectors(db):
    names = [("giao-duc", "Giáo dục"), ("nong-nghiep", "Nông nghiệp")]
    return {slug: CooperationSector.objects.create(name=name, slug=slug) for slug, name in names}


@pytest.fixture
def partners(db):
    return {
        "hanoi": Partner.objects.create(
            name="Thành phố Hà Nội", kind=Partner.Kind.PROVINCE, locality="Hà Nội"
        ),
        "seabank": Partner.objects.create(name="Ngân hàng TMCP Đông Nam Á", kind=Partner.Kind.BANK),
        "vien": Partner.objects.create(name="Viện Nghiên cứu rau quả", kind=Partner.Kind.INSTITUTE),
    }


def activity(title, sectors=(), places=(), contributions=(), partners=(), **fields):
    """A published activity with its places, partners and contributions."""
    record = Activity(title=title, **fields)
    record.sectors = list(sectors)
    record.localities = [ActivityLocality(name=place) for place in places]
    record.partner_roles = [ActivityPartner(partner=partner, role=role) for partner, role in partners]
    record.contributions = [Contribution(**contribution) for contribution in contributions]
    record.save()
    record.save_revision().publish()
    return record


def signed_in(client, role):
    user = desk_member({REPORTERS: "phongvien", EDITORS: "bientapvien"}[role], role, password=PASSWORD)
    client.force_login(user)
    return user


def form_data(**fields):
    """An activity's admin form, its inline panels empty unless given."""
    data = {"title": "", "slug": "", "summary": "", "status": "completed", "start": "", "end": ""}
    for inline in ("localities", "partner_roles", "contributions", "outputs"):
        rows = fields.pop(inline, [])
        data.update(
            {f"{inline}-TOTAL_FORMS": len(rows), f"{inline}-INITIAL_FORMS": 0, f"{inline}-MIN_NUM_FORMS": 0}
        )
        data[f"{inline}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            data.update({f"{inline}-{i}-{key}": value for key, value in row.items()})
            data.update({f"{inline}-{i}-ORDER": i + 1, f"{inline}-{i}-DELETE": ""})
    data.update(fields)
    return data


def test_a_slug_is_made_from_the_name_and_kept_by_translations(db):
    agreement = Agreement.objects.create(number="196/HT-UBND/HN-BK", title="Thỏa thuận hợp tác 2007–2010")
    assert agreement.slug == "196-ht-ubnd-hn-bk"
    english = agreement.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save()
    assert english.slug == agreement.slug and english.translation_key == agreement.translation_key


def test_records_with_the_same_name_get_slugs_of_their_own(db):
    first = Partner.objects.create(name="Sở Khoa học và Công nghệ")
    second = Partner.objects.create(name="Sở Khoa học và Công nghệ", locality="Bắc Kạn")
    assert (first.slug, second.slug) == ("so-khoa-hoc-va-cong-nghe", "so-khoa-hoc-va-cong-nghe-2")


def test_dates_keep_their_precision_in_the_database(db):
    record = activity("Mô hình sản xuất rau an toàn", start=PartialDate(2008, 6), end=PartialDate(2010, 6))
    record.refresh_from_db()
    assert (str(record.start), record.start.isoformat(), str(record.end)) == ("6/2008", "2008-06", "6/2010")
    assert Activity.objects.filter(start__lt="2009", end__gte="2009").get() == record


def test_an_activity_cannot_end_before_it_starts_but_may_end_within_its_start_year(db):
    with pytest.raises(ValidationError) as raised:
        Activity(title="Lớp đào tạo nghề", start=PartialDate(2014), end=PartialDate(2013, 12)).full_clean()
    assert "end" in raised.value.message_dict
    Activity(title="Lớp đào tạo nghề", start=PartialDate(2013, 6), end=PartialDate(2013)).full_clean()


def test_money_needs_an_amount_and_amounts_pass_32_bits(db, partners):
    with pytest.raises(ValidationError):
        Contribution(kind=Contribution.Kind.MONEY).clean()
    Contribution(kind=Contribution.Kind.IN_KIND, description="01 máy điện tim").clean()
    record = activity(
        "Khu di tích lịch sử cách mạng Nà Tu",
        contributions=[{"amount_vnd": 5_200_000_000, "contributor": partners["hanoi"], "year": 2011}],
    )
    contribution = Contribution.objects.get(activity=record)
    assert contribution.amount_vnd == 5_200_000_000 and contribution.amount_display() == "5,2 tỷ đồng"


def test_the_cooperation_menu_shows_the_three_records(client):
    signed_in(client, EDITORS)
    response = client.get(reverse("wagtailadmin_home"))
    menu = response.content.decode()
    for url in ("cooperation_activity", "cooperation_agreement", "cooperation_partner"):
        assert reverse(f"wagtailsnippets_{url}:list") in menu
    for label in ("Hợp tác", "Hoạt động hợp tác", "Văn bản hợp tác", "Đối tác"):
        assert json.dumps(label)[1:-1] in menu  # the menu is JSON in the page


def test_a_reporter_drafts_and_submits_and_an_editor_publishes(client, sectors, partners):
    reporter = signed_in(client, REPORTERS)
    data = form_data(
        title="Trường mầm non thị trấn Chợ Mới",
        sectors=[sectors["giao-duc"].pk],
        start="2013",
        localities=[{"name": "thị trấn Chợ Mới"}],
        contributions=[
            {
                "amount_vnd": "trên 5 tỷ",
                "qualifier": "at_least",
                "kind": "money",
                "contributor": partners["seabank"].pk,
            },
        ],
        **{"action-submit": "1"},
    )
    response = client.post(reverse("wagtailsnippets_cooperation_activity:add"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    record = Activity.objects.get(title="Trường mầm non thị trấn Chợ Mới")
    assert not record.live and record.latest_revision.user == reporter
    state = WorkflowState.objects.get(object_id=str(record.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow.name == WORKFLOW
    assert record.latest_revision.as_object().contributions.get().amount_vnd == 5_000_000_000
    edit = client.get(reverse("wagtailsnippets_cooperation_activity:edit", args=[record.pk])).content.decode()
    assert "action-publish" not in edit  # a reporter never publishes

    client.logout()
    editor = signed_in(client, EDITORS)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "approve")
    record.refresh_from_db()
    assert record.live and record.contributions.get().amount_display() == "trên 5 tỷ đồng"


def test_a_wrong_amount_or_date_loses_nothing_and_says_why_in_vietnamese(client, sectors):
    signed_in(client, EDITORS)
    data = form_data(
        title="Hỗ trợ học sinh nghèo",
        start="31/2/2010",
        contributions=[{"amount_vnd": "ba trăm triệu", "qualifier": "exact", "kind": "money"}],
    )
    response = client.post(reverse("wagtailsnippets_cooperation_activity:add"), data)
    assert response.status_code == 200 and not Activity.objects.exists()
    page = response.content.decode()
    assert "Ngày 31/2/2010 không có thật." in page
    assert "không phải là số tiền" in page
    assert 'value="Hỗ trợ học sinh nghèo"' in page  # what was typed is still there


def test_the_listing_filters_by_sector_place_partner_status_and_year(client, sectors, partners):
    farm = activity(
        "Mô hình sản xuất rau an toàn",
        sectors=[sectors["nong-nghiep"]],
        places=["huyện Ba Bể", "tiểu khu 1 thị trấn Chợ Rã"],
        partners=[(partners["vien"], ActivityPartner.Role.IMPLEMENTER)],
        start=PartialDate(2008, 6),
        end=PartialDate(2010, 6),
    )
    school = activity(
        "Trường mầm non thị trấn Chợ Mới",
        sectors=[sectors["giao-duc"]],
        places=["thị trấn Chợ Mới"],
        partners=[(partners["seabank"], ActivityPartner.Role.FUNDER)],
        contributions=[
            {"amount_vnd": 5_000_000_000, "qualifier": "at_least", "contributor": partners["seabank"]}
        ],
        start=PartialDate(2013),
        status=Activity.Status.ONGOING,
    )
    activity("Lớp đào tạo nghề sản xuất đũa gỗ", start=PartialDate(2014))  # completed, the year it started
    activity("Nà Tu, Cẩm Giàng", end=PartialDate(2011))  # only its end is known
    activity("Dự án khoa học công nghệ về cây ăn quả")  # no date: in no year
    signed_in(client, EDITORS)
    listing = reverse("wagtailsnippets_cooperation_activity:list")

    def titles(**filters):
        response = client.get(listing, filters)
        return {record.title for record in response.context["object_list"]}

    assert len(titles()) == 5
    assert titles(sectors=sectors["giao-duc"].pk) == {school.title}
    assert titles(locality="Ba Bể") == {farm.title}
    assert titles(partner=partners["vien"].pk) == {farm.title}
    assert titles(year=2009) == {farm.title}  # under way from 6/2008 to 6/2010
    assert titles(year=2015) == {school.title}  # started in 2013, still going
    assert titles(year=2014) == {school.title, "Lớp đào tạo nghề sản xuất đũa gỗ"}
    assert titles(year=2011) == {"Nà Tu, Cẩm Giàng"}
    page = client.get(listing).content.decode()
    assert "trên 5 tỷ đồng" in page  # the school's column
    assert "5 hoạt động, tổng kinh phí trên 5 tỷ đồng." in page  # the listing's totals
    assert "1 hoạt động, tổng kinh phí 0 đồng." in client.get(listing, {"locality": "Ba Bể"}).content.decode()


def test_the_listing_exports_to_csv_and_xlsx_with_its_diacritics(client, partners):
    activity(
        "Khu di tích lịch sử cách mạng Nà Tu, Cẩm Giàng",
        contributions=[{"amount_vnd": 5_200_000_000, "contributor": partners["hanoi"]}],
        start=PartialDate(2011),
    )
    signed_in(client, EDITORS)
    listing = reverse("wagtailsnippets_cooperation_activity:list")
    response = client.get(listing, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[1][0] == "Khu di tích lịch sử cách mạng Nà Tu, Cẩm Giàng" and "5200000000" in rows[1]
    xlsx = client.get(listing, {"export": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_a_news_page_links_the_activities_it_reports_on(admin_client, news_index):
    from news.factories import NewsPageFactory

    page = NewsPageFactory(parent=news_index, title="Tăng cường hợp tác")
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "cooperation_activity_links-TOTAL_FORMS" in edit and "Hoạt động hợp tác trong bài" in edit


def test_each_listing_finds_records_with_or_without_diacritics(client, partners):
    activity("Mô hình sản xuất rau an toàn", summary="Tại huyện Ba Bể")
    Agreement.objects.create(
        number="63/TB-UBND", title="Thông báo kết quả buổi làm việc", issuer="UBND thành phố Hà Nội"
    )
    signed_in(client, EDITORS)
    for url, words, found in (
        ("wagtailsnippets_cooperation_activity:list", "rau an toan", "Mô hình sản xuất rau an toàn"),
        ("wagtailsnippets_cooperation_agreement:list", "thong bao", "63/TB-UBND"),
        ("wagtailsnippets_cooperation_partner:list", "vien nghien cuu", "Viện Nghiên cứu rau quả"),
    ):
        response = client.get(reverse(url), {"q": words})
        assert response.status_code == 200 and found in response.content.decode(), url


def test_an_amount_typed_with_its_qualifier_keeps_it(client, partners):
    signed_in(client, EDITORS)
    add = reverse("wagtailsnippets_cooperation_activity:add")
    school = {
        "amount_vnd": "trên 5 tỷ",
        "qualifier": "exact",
        "kind": "money",
        "contributor": partners["seabank"].pk,
    }
    response = client.post(add, form_data(title="Trường mầm non thị trấn Chợ Mới", contributions=[school]))
    assert response.status_code == 302
    contribution = Activity.objects.get().contributions.get()
    assert (contribution.amount_vnd, contribution.qualifier) == (5_000_000_000, "at_least")
    # "khoảng" typed, "at least" chosen: refused, nothing saved, the reason given.
    about = {**school, "amount_vnd": "khoảng 1 tỷ", "qualifier": "at_least"}
    response = client.post(add, form_data(title="Nhà nội trú trường THPT Yên Hân", contributions=[about]))
    assert response.status_code == 200 and Activity.objects.count() == 1
    assert "Số tiền đã nhập ghi “khoảng”" in response.content.decode()
