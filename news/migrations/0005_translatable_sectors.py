"""
Cooperation sectors become translatable (Wagtail's TranslatableMixin): each existing sector gets a
translation key and the default locale (Vietnamese), then names and slugs are unique per locale,
so a translation may keep the original's slug. News pages keep linking the Vietnamese sectors.
"""

import uuid

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel

import news.models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_news_section"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="cooperationsector",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="cooperationsector",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        BootstrapTranslatableModel("news.CooperationSector"),
        migrations.AlterField(
            model_name="cooperationsector",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="cooperationsector",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="cooperationsector",
            name="name",
            field=models.CharField(max_length=255, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="cooperationsector",
            name="slug",
            field=models.SlugField(
                help_text=(
                    "Used in addresses and filters, e.g. “nong-nghiep”. ASCII only; a translation "
                    "keeps the slug of the original."
                ),
                max_length=255,
                verbose_name="slug",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="cooperationsector",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="cooperationsector",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="sector_slug_per_locale"),
        ),
        migrations.AddConstraint(
            model_name="cooperationsector",
            constraint=models.UniqueConstraint(fields=("name", "locale"), name="sector_name_per_locale"),
        ),
        migrations.AlterField(
            model_name="newspage",
            name="sectors",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                help_text="Every sector the article is about.",
                limit_choices_to=news.models.default_locale_sectors,
                related_name="news_pages",
                to="news.cooperationsector",
                verbose_name="cooperation sectors",
            ),
        ),
    ]
