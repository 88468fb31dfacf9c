"""`seo` on every page: title, description, canonical URL and sharing image, with fallbacks."""

import pytest
from wagtail.models import Collection, CollectionViewRestriction
from wagtail_factories import ImageFactory

from news.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

SEO = "seo { title description canonicalUrl image { url width height alt } }"


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.FRONTEND_BASE_URL = "https://tin.backan.gov.vn/"


def page_seo(gql, page):
    return gql(f'{{ page(id: "{page.pk}") {{ {SEO} }} }}')["page"]["seo"]


def test_fallbacks_title_intro_and_hero_image(gql, news_index):
    image = ImageFactory(
        title="Ruộng lúa Đồng Phúc",
        description="Ruộng lúa chín ở xã Đồng Phúc",
        file__width=2400,
        file__height=1600,
    )
    page = NewsPageFactory(parent=news_index, title="Đồng Phúc vào mùa gặt", slug="dong-phuc-vao-mua-gat",
                           intro="Nông dân Ba Bể thu hoạch lúa.", hero_image=image)  # fmt: skip
    seo = page_seo(gql, page)
    assert seo["title"] == "Đồng Phúc vào mùa gặt"
    assert seo["description"] == "Nông dân Ba Bể thu hoạch lúa."
    assert seo["canonicalUrl"] == "https://tin.backan.gov.vn/tin-tuc/dong-phuc-vao-mua-gat/"
    assert (seo["image"]["width"], seo["image"]["height"]) == (1200, 630)
    assert seo["image"]["url"].startswith("http://testserver/media/images/") and seo["image"]["alt"] == (
        "Ruộng lúa chín ở xã Đồng Phúc"
    )


def test_what_editors_wrote_for_search_comes_first(gql, news_index):
    page = NewsPageFactory(parent=news_index, title="Tin dài", seo_title="Hợp tác Bắc Kạn – Hà Nội",
                           search_description="Hai địa phương ký kết hợp tác.")  # fmt: skip
    seo = page_seo(gql, page)
    assert (seo["title"], seo["description"], seo["image"]) == (
        "Hợp tác Bắc Kạn – Hà Nội",
        "Hai địa phương ký kết hợp tác.",
        None,
    )


def test_a_restricted_image_is_never_shared(gql, news_index):
    secret = Collection.get_first_root_node().add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    page = NewsPageFactory(parent=news_index, hero_image=ImageFactory(collection=secret))
    assert page_seo(gql, page)["image"] is None


def test_home_and_section_pages_have_theirs(gql, news_index):
    home = news_index.get_parent().specific
    assert page_seo(gql, home)["canonicalUrl"] == "https://tin.backan.gov.vn/"
    assert page_seo(gql, news_index)["canonicalUrl"] == "https://tin.backan.gov.vn/tin-tuc/"


@pytest.mark.parametrize("count", [1, 20])
def test_a_list_asking_for_seo_costs_the_same_queries_for_1_or_20(
    gql, news_index, assert_data_queries, settings, count
):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0  # count the work, not the cache
    for n in range(count):
        NewsPageFactory(parent=news_index, slug=f"tin-{n}", hero_image=ImageFactory())
    query = f"{{ newsPages(perPage: 50) {{ items {{ {SEO} }} }} }}"
    gql(query)  # makes the renditions, once
    with assert_data_queries(3):
        assert len(gql(query)["newsPages"]["items"]) == count
