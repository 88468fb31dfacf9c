from django.db import migrations


def set_up_roles(apps, schema_editor):
    from editorial.roles import set_up_roles

    set_up_roles(apps)


class Migration(migrations.Migration):
    """Reporters and editors may translate pages and sectors into English (editorial/roles.py)."""

    dependencies = [
        ("editorial", "0001_roles_and_review_workflow"),
        ("simple_translation", "0001_initial"),
        ("news", "0005_translatable_sectors"),
    ]

    operations = [migrations.RunPython(set_up_roles, migrations.RunPython.noop)]
