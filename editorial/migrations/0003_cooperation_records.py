from django.db import migrations


def set_up_roles(apps, schema_editor):
    from editorial.roles import set_up_roles

    set_up_roles(apps)


class Migration(migrations.Migration):
    """Reporters draft cooperation records, editors publish them, through the review workflow."""

    dependencies = [
        ("editorial", "0002_translating"),
        ("cooperation", "0001_records"),
        ("wagtailcore", "0083_workflowcontenttype"),
    ]

    operations = [migrations.RunPython(set_up_roles, migrations.RunPython.noop)]
