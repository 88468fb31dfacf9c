from django.db import migrations

# Wagtail's first migration names the tree's root page "Root"; editors see it in the explorer's
# breadcrumbs. Only a title nobody changed is renamed.
ENGLISH, VIETNAMESE = "Root", "Gốc"


def rename(apps, schema_editor, old=ENGLISH, new=VIETNAMESE):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def restore(apps, schema_editor):
    rename(apps, schema_editor, old=VIETNAMESE, new=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial"), ("wagtailcore", "0002_initial_data")]
    operations = [migrations.RunPython(rename, restore)]
