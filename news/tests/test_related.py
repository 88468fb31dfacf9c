"""`related`, `previous` and `next` on news pages: what to read next, visible news only."""

import datetime
import random

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.factories import CooperationSectorFactory, NewsIndexPageFactory, NewsPageFactory
from news.models import NewsPage

pytestmark = pytest.mark.django_db

ADJACENT = "previous { title } next { title }"
NEXT = f"related {{ title }} {ADJACENT}"


def day(n):
    return datetime.date(2025, 6, 1) + datetime.timedelta(days=n)


def titles(items):
    return [item["title"] for item in items]


def read_next(gql, page, fields=NEXT):
    return gql(f'{{ newsPage(slug: "{page.slug}") {{ {fields} }} }}')["newsPage"]


@pytest.fixture
def sectors(db):
    names = ["Nông nghiệp", "Giáo dục", "Y tế", "Du lịch"]
    return [CooperationSectorFactory(name=name, slug=f"linh-vuc-{n}") for n, name in enumerate(names)]


def test_related_news_share_the_most_sectors_then_tags_then_are_newest(gql, news_index, sectors):
    farming, schools, health, tourism = sectors
    news = lambda title, n, sectors, tags=(): NewsPageFactory(  # noqa: E731
        parent=news_index, title=title, date=day(n), sectors=sectors, tags=list(tags)
    )
    page = news("Bắc Kạn – Hà Nội: hợp tác toàn diện", 0, [farming, schools, health], ["Ba Bể", "Chợ Mới"])
    news("Hai lĩnh vực, mới nhất", 9, [farming, schools])
    news("Ba lĩnh vực, cũ", 1, [farming, schools, health])
    news("Hai lĩnh vực và hai thẻ", 2, [schools, health], ["Ba Bể", "Chợ Mới"])
    news("Hai lĩnh vực và một thẻ", 3, [farming, health], ["chợ mới"])
    news("Một lĩnh vực, mới", 8, [health])
    news("Chỉ chung một thẻ", 7, [tourism], ["Ba Bể"])
    news("Không chung gì", 10, [tourism], ["Pác Nặm"])
    related = gql(f'{{ newsPage(slug: "{page.slug}") {{ related(limit: 10) {{ title }} }} }}')
    assert titles(related["newsPage"]["related"]) == [
        "Ba lĩnh vực, cũ",
        "Hai lĩnh vực và hai thẻ",
        "Hai lĩnh vực và một thẻ",
        "Hai lĩnh vực, mới nhất",
        "Một lĩnh vực, mới",
        "Chỉ chung một thẻ",
    ]
    assert titles(read_next(gql, page)["related"]) == titles(related["newsPage"]["related"])[:4]


def test_a_page_sharing_nothing_has_no_related_news(gql, news_index, sectors):
    NewsPageFactory(parent=news_index, sectors=[sectors[0]])
    lonely = NewsPageFactory(parent=news_index, title="Tin không lĩnh vực", sectors=[])
    assert read_next(gql, lonely)["related"] == []


@pytest.mark.parametrize("limit", [0, -1, 21, 2**31 - 1])
def test_a_limit_outside_1_to_20_is_a_clear_error(gql, news_index, limit):
    page = NewsPageFactory(parent=news_index)
    query = f'{{ newsPage(slug: "{page.slug}") {{ title related(limit: {limit}) {{ title }} }} }}'
    assert gql.errors(query) == ["`limit` must be between 1 and 20."]


def test_previous_and_next_walk_the_section_by_date_then_id(gql, news_index):
    older = NewsPageFactory(parent=news_index, title="Tin cũ", date=day(0))
    same_day = [NewsPageFactory(parent=news_index, title=f"Cùng ngày {n}", date=day(5)) for n in range(3)]
    newer = NewsPageFactory(parent=news_index, title="Tin mới", date=day(9))
    other_section = NewsIndexPageFactory(parent=news_index.get_parent(), title="Thông báo", slug="thong-bao")
    NewsPageFactory(parent=other_section, title="Tin của chuyên mục khác", date=day(5))
    order = [older, *same_day, newer]
    for position, page in enumerate(order):
        answer = read_next(gql, page, ADJACENT)
        previous = order[position - 1].title if position > 0 else None
        following = order[position + 1].title if position + 1 < len(order) else None
        found = [(answer[side] or {}).get("title") for side in ("previous", "next")]
        assert found == [previous, following], page.title


def hide(page, how):
    if how == "draft":
        page.unpublish()
    elif how == "expired":
        page.expire_at = timezone.now() - datetime.timedelta(seconds=1)
        page.save()
    elif how == "scheduled":
        page.unpublish()
        page.go_live_at = timezone.now() + datetime.timedelta(days=1)
        page.save_revision().publish()
    else:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=how, password="mk")
        if how == "groups":
            restriction.groups.add(Group.objects.create(name="Ban biên tập"))


@pytest.mark.parametrize("how", ["draft", "expired", "scheduled", "password", "login", "groups"])
def test_hidden_news_are_never_related_previous_or_next(gql, news_index, sectors, how):
    shared = {"parent": news_index, "sectors": sectors[:2], "tags": ["Ba Bể"]}
    first = NewsPageFactory(title="Tin đầu", date=day(0), **shared)
    hidden = NewsPageFactory(title="HIDDEN ở giữa", date=day(1), **shared)
    last = NewsPageFactory(title="Tin cuối", date=day(2), **shared)
    hide(hidden, how)
    answer = read_next(gql, first)
    assert (titles(answer["related"]), answer["next"]["title"]) == (["Tin cuối"], "Tin cuối")
    answer = read_next(gql, last)
    assert (titles(answer["related"]), answer["previous"]["title"]) == (["Tin đầu"], "Tin đầu")


def test_a_preview_is_placed_by_its_draft(gql, news_index, sectors):
    farming, schools, *_ = sectors
    first = NewsPageFactory(parent=news_index, title="Ngày 1", date=day(1), sectors=[farming])
    NewsPageFactory(parent=news_index, title="Ngày 2", date=day(2), sectors=[schools])
    page = NewsPageFactory(parent=news_index, title="Ngày 3", date=day(3), sectors=[farming])
    NewsPageFactory(parent=news_index, title="Ngày 4", date=day(4), sectors=[schools])
    page.date = day(0)  # the draft moves it to the front, into the other sector
    page.sectors.set([schools])
    token = page.create_page_preview().token
    draft = gql(f"query ($t: String!) {{ newsPage(token: $t) {{ {NEXT} }} }}", {"t": token})["newsPage"]
    assert draft == {"related": [{"title": "Ngày 4"}, {"title": "Ngày 2"}], "previous": None,
                     "next": {"title": first.title}}  # fmt: skip
    live = read_next(gql, page)
    assert live == {"related": [{"title": "Ngày 1"}], "previous": {"title": "Ngày 2"},
                    "next": {"title": "Ngày 4"}}  # fmt: skip


def test_related_news_are_chosen_among_the_newest_candidates(gql, news_index, sectors, settings):
    settings.RELATED_NEWS_CANDIDATES = 3
    shared = {"parent": news_index, "sectors": sectors[:1]}
    oldest = NewsPageFactory(title="Tin rất cũ", date=day(0), **shared)
    for n in range(1, 4):
        NewsPageFactory(title=f"Tin mới {n}", date=day(n), **shared)
    assert titles(read_next(gql, oldest)["related"]) == ["Tin mới 3", "Tin mới 2", "Tin mới 1"]
    newest = NewsPage.objects.get(title="Tin mới 3")
    assert titles(read_next(gql, newest)["related"]) == ["Tin mới 2", "Tin mới 1"]


def test_publishing_a_news_page_updates_the_related_news_of_others(gql, news_index, sectors, committed):
    page = NewsPageFactory(parent=news_index, title="Tin gốc", sectors=sectors[:1], date=day(0))
    NewsPageFactory(parent=news_index, title="Tin liên quan", sectors=sectors[:1], date=day(1))
    assert titles(read_next(gql, page)["related"]) == ["Tin liên quan"]
    with committed():
        newer = NewsPageFactory(parent=news_index, title="Tin mới đăng", sectors=sectors[:1], date=day(2),
                                live=False)  # fmt: skip
        newer.save_revision().publish()
    answer = read_next(gql, page)
    assert titles(answer["related"]) == ["Tin mới đăng", "Tin liên quan"]
    newer.refresh_from_db()
    with committed():
        newer.unpublish()
    assert titles(read_next(gql, page)["related"]) == ["Tin liên quan"]


@pytest.mark.parametrize("seed", range(4))
def test_random_archives_give_what_a_plain_reference_gives(gql, news_index, settings, seed):
    """
    A random archive — two sections, a few sectors and tags, many pages on the same day, some
    hidden — and for every visible page, its related news (up to 20) and neighbours compared with
    a plain reference computed from the factory's data, not from the code under test.
    """
    settings.GRAPHQL_MAX_COST = 1_000_000
    rng = random.Random(seed)
    sectors = [CooperationSectorFactory() for _ in range(4)]
    tags = ["Ba Bể", "Chợ Đồn", "Pác Nặm", "Na Rì", "Ngân Sơn"]
    sections = [news_index, NewsIndexPageFactory(parent=news_index.get_parent(), slug="thong-bao")]
    pages = []
    for n in range(30):
        page = NewsPageFactory(
            parent=rng.choice(sections),
            title=f"Tin ngẫu nhiên {n}",
            date=day(rng.randrange(8)),
            sectors=rng.sample(sectors, rng.randrange(4)),
            tags=rng.sample(tags, rng.randrange(3)),
        )
        page.hidden = rng.random() < 0.2
        if page.hidden:
            hide(page, rng.choice(["draft", "expired", "login"]))
        pages.append(page)
    features = {
        page.pk: ({s.pk for s in page.sectors.all()}, {t.name for t in page.tags.all()}) for page in pages
    }
    visible = [page for page in pages if not page.hidden]

    def reference_related(page):
        def shared(other):
            return tuple(len(a & b) for a, b in zip(features[page.pk], features[other.pk], strict=True))

        others = [other for other in visible if other.pk != page.pk and sum(shared(other))]
        others.sort(key=lambda other: (*(-n for n in shared(other)), -other.date.toordinal(), -other.pk))
        return [other.title for other in others[:20]]

    query = f"{{ newsPages(perPage: 100) {{ items {{ title related(limit: 20) {{ title }} {ADJACENT} }} }} }}"
    answers = {item["title"]: item for item in gql(query)["newsPages"]["items"]}
    assert set(answers) == {page.title for page in visible}
    for page in visible:
        section = sorted(
            (other for other in visible if other.get_parent().pk == page.get_parent().pk),
            key=lambda other: (other.date, other.pk),
        )
        position = section.index(page)
        expected_previous = section[position - 1].title if position else None
        expected_next = section[position + 1].title if position + 1 < len(section) else None
        answer = answers[page.title]
        assert titles(answer["related"]) == reference_related(page), page.title
        assert (answer["previous"] or {}).get("title") == expected_previous, page.title
        assert (answer["next"] or {}).get("title") == expected_next, page.title


LIST = """{ newsPages(perPage: 50) { items { title
  related { title urlPath heroImage { url } sectors { slug } }
  previous { title urlPath } next { title urlPath date }
} } }"""


@pytest.mark.parametrize("count", [2, 20])
def test_a_list_asking_for_what_to_read_next_costs_the_same_queries_for_2_or_20(
    gql, news_index, sectors, assert_data_queries, settings, count
):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0  # count the work, not the cache
    for n in range(count):
        NewsPageFactory(parent=news_index, sectors=sectors[: 1 + n % 3], tags=[f"thẻ {n % 4}"])
    # The next schedule and expiry (2), the site and its restricted sections (2), the list and its
    # total (2), the items' sectors and tags (2), the candidates (3: their ids, sectors and tags),
    # the related pages with their sectors (2), the sites' root paths and their translations for
    # `urlPath` (2), the neighbours' ids (1), and the previous and next pages (2). (The languages
    # were read, and cached, when the pages were published.)
    with assert_data_queries(18):
        items = gql(LIST)["newsPages"]["items"]
    assert len(items) == count and all(item["related"] for item in items)
    # The schedule, the languages, the site and its restricted sections, the total, the
    # candidates and the sites' root paths are remembered.
    with assert_data_queries(8):
        assert gql(LIST)["newsPages"]["items"] == items


def test_a_sections_children_ask_for_their_neighbours_once(gql, news_index, assert_data_queries, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    for _ in range(5):
        NewsPageFactory(parent=news_index)
    children = "children(limit: 50) { ... on NewsPage { previous { title } } }"
    query = f'{{ page(id: "{news_index.pk}") {{ {children} }} }}'
    gql(query)
    # The section (2: the page, then its own fields), its children (2: their kinds, then the news
    # pages), the neighbours' ids (1) and the previous pages (1); the restricted sections are
    # remembered until the content changes.
    with assert_data_queries(6):
        children = gql(query)["page"]["children"]
    assert sum(child["previous"] is None for child in children) == 1


def test_a_whole_list_is_placed_in_one_query(gql, news_index, assert_data_queries, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    for n in range(30):
        NewsPageFactory(parent=news_index, title=f"Tin {n}", date=day(n // 3))
    query = '{ newsPages(order: "date", perPage: 30) { items { title previous { title } } } }'
    gql(query)
    # The list (1), the neighbours' ids (1), the previous pages (1); the site and its restrictions
    # are remembered until the content changes.
    with assert_data_queries(3):
        items = gql(query)["newsPages"]["items"]
    assert [(item["previous"] or {}).get("title") for item in items] == [None] + [
        f"Tin {n}" for n in range(29)
    ]


def test_a_moved_news_page_takes_its_place_in_its_new_section(gql, news_index, committed):
    other = NewsIndexPageFactory(parent=news_index.get_parent(), title="Thông báo", slug="thong-bao")
    first = NewsPageFactory(parent=other, title="Thông báo cũ", date=day(0))
    moving = NewsPageFactory(parent=news_index, title="Tin chuyển mục", date=day(5))
    NewsPageFactory(parent=news_index, title="Tin ở lại", date=day(1))
    assert read_next(gql, moving, ADJACENT)["previous"] == {"title": "Tin ở lại"}
    with committed():
        moving.move(other, pos="last-child")
    moving = NewsPage.objects.get(pk=moving.pk)
    assert moving.section_id == other.pk
    assert read_next(gql, moving, ADJACENT) == {"previous": {"title": first.title}, "next": None}
