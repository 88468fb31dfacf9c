"""SharedTargets: a list's sectors and tags in one query each, as querysets that behave as usual."""

import pytest

from news.factories import CooperationSectorFactory, NewsPageFactory
from news.models import NewsPage
from publishing.relations import SharedTargets

pytestmark = pytest.mark.django_db


def test_prefetched_relations_read_without_queries_and_chain_independently(
    news_index, django_assert_num_queries
):
    farming, schools, health = (CooperationSectorFactory(name=n) for n in ("Nông nghiệp", "Giáo dục", "Y tế"))
    NewsPageFactory(parent=news_index, sectors=[farming, schools], tags=["Bắc Kạn"])
    NewsPageFactory(parent=news_index, sectors=[health], tags=[])
    pages = list(NewsPage.objects.order_by("pk"))
    with django_assert_num_queries(2):
        SharedTargets("sectors").prefetch(NewsPage, pages)
        SharedTargets("tags").prefetch(NewsPage, pages)
    with django_assert_num_queries(0):
        assert [list(page.sectors.all()) for page in pages] == [[farming, schools], [health]]
        assert [[tag.name for tag in page.tags.all()] for page in pages] == [["Bắc Kạn"], []]
    # The querysets share one never-run empty query: chaining on one leaves the others as they were.
    assert list(pages[0].sectors.all().filter(pk=schools.pk)) == [schools]
    assert list(pages[1].sectors.all().exclude(pk=health.pk)) == []
    with django_assert_num_queries(0):
        assert list(pages[0].sectors.all()) == [farming, schools] and list(pages[1].sectors.all()) == [health]


def test_chaining_keeps_the_models_own_queryset_methods(news_index):
    sector = CooperationSectorFactory(name="Du lịch")
    [page] = [NewsPageFactory(parent=news_index, sectors=[sector])]
    pages = list(NewsPage.objects.filter(pk=page.pk))
    SharedTargets("sectors").prefetch(NewsPage, pages)
    assert list(pages[0].sectors.all().filter(name="Du lịch").canonical()) == [sector]
