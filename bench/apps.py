from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"

    def ready(self):
        from rest_framework import serializers
        from wagtail.api import APIField
        from wagtail.images.api.fields import ImageRenditionField

        from news.models import NewsPage

        class SectorSerializer(serializers.Serializer):
            name = serializers.CharField()
            slug = serializers.CharField()

        class TagSerializer(serializers.Serializer):
            name = serializers.CharField()
            slug = serializers.CharField()

        # What the GraphQL list of the benchmark asks for, as REST API v2 fields.
        NewsPage.api_fields = [
            APIField("date"),
            APIField("author"),
            APIField("intro"),
            APIField("hero_rendition", serializer=ImageRenditionField("width-800", source="hero_image")),
            APIField("hero_caption"),
            APIField("sectors", serializer=SectorSerializer(many=True)),
            APIField("tags", serializer=TagSerializer(many=True)),
            APIField("body"),
        ]
