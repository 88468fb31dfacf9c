from django.db import migrations


class Migration(migrations.Migration):
    """The stored answers' rows belong to the read model's app now (answers.0001): the table stays."""

    dependencies = [
        ("publishing", "0003_stored_answer_media"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="StoredAnswer")]),
    ]
