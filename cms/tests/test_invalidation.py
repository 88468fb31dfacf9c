"""
Every model whose rows a GraphQL answer can show has a receiver that makes cached answers stale
when one changes (publishing/freshness.py). A model that becomes reachable from the schema
without one fails here, before any reader gets a stale answer.
"""

import pytest
from django.core.cache import cache
from graphene_django import DjangoObjectType
from graphene_django.settings import graphene_settings
from wagtail.images import get_image_model
from wagtail.models import Page

from news.factories import CooperationSectorFactory
from publishing import freshness

# Renditions are made on demand from an image: making one changes no answer.
DERIVED = {get_image_model().get_rendition_model()}


def models_reachable_from_the_schema():
    schema = graphene_settings.SCHEMA.graphql_schema
    graphene_types = (
        getattr(graphql_type, "graphene_type", None) for graphql_type in schema.type_map.values()
    )
    return {
        graphene_type._meta.model
        for graphene_type in graphene_types
        if isinstance(graphene_type, type) and issubclass(graphene_type, DjangoObjectType)
    }


def watched(model):
    return issubclass(model, Page) or issubclass(model, freshness.content_models())


def test_every_model_an_answer_shows_is_watched():
    reachable = models_reachable_from_the_schema() - DERIVED
    labels = {model._meta.label for model in reachable}
    assert {"news.NewsPage", "news.CooperationSector", "news.NewsTag", "wagtailimages.Image"} <= labels
    assert not [model._meta.label for model in reachable if not watched(model)]


def test_the_walk_finds_a_model_nobody_watches(monkeypatch):
    """The test above can fail: forget the sectors, and the walk reports them."""
    monkeypatch.setattr(
        freshness,
        "CONTENT_MODELS",
        [m for m in freshness.CONTENT_MODELS if m != "news.CooperationSector"],
    )
    freshness.content_models.cache_clear()
    try:
        assert [m._meta.label for m in models_reachable_from_the_schema() - DERIVED if not watched(m)] == [
            "news.CooperationSector"
        ]
    finally:
        monkeypatch.undo()
        freshness.content_models.cache_clear()


@pytest.mark.django_db
def test_a_change_replaces_the_content_version(committed):
    before = freshness.content_version()
    with committed():
        CooperationSectorFactory(name="Thương mại", slug="thuong-mai")
    assert freshness.content_version() != before
    assert cache.get(freshness.VERSION_KEY) == freshness.content_version()
