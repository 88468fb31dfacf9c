from django.db import migrations


def set_up_roles(apps, schema_editor):
    from editorial.roles import set_up_roles

    set_up_roles(apps)


class Migration(migrations.Migration):
    """The reporters' and editors' groups and the review workflow (editorial/roles.py)."""

    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("news", "0003_news_date_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(set_up_roles, migrations.RunPython.noop)]
