from django.db import migrations


def move_content_type(apps, schema_editor):
    """The stored answers' content type (and the permissions on it) follow the model to this app."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    old = content_types.filter(app_label="publishing", model="storedanswer")
    if content_types.filter(app_label="answers", model="storedanswer").exists():
        old.delete()
    else:
        old.update(app_label="answers")


def move_content_type_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    content_types.filter(app_label="answers", model="storedanswer").update(app_label="publishing")


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move_content_type, move_content_type_back)]
