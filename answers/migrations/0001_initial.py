import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """
    The stored answers' rows, moved here from publishing (publishing.0004): the model takes over
    the existing table, rows and all, then renames it to this app's name.
    """

    initial = True

    dependencies = [
        ("publishing", "0004_stored_answers_move_to_answers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StoredAnswer",
                    fields=[
                        (
                            "page",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="stored_answer",
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("shape", models.CharField(max_length=64)),
                        ("data", models.JSONField(null=True)),
                        ("media", models.TextField(blank=True, default="")),
                    ],
                    options={
                        "verbose_name": "stored answer",
                        "verbose_name_plural": "stored answers",
                        "db_table": "publishing_storedanswer",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="storedanswer", table=None),
    ]
