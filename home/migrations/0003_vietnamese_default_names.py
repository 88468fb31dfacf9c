from django.db import migrations

# Wagtail names the root of the collections "Root" (editors see it when choosing where an image
# or document goes, and in the groups' permissions), and its first home page "Welcome to your new
# Wagtail site!", which stays in the site history once the page is replaced. Only names nobody
# changed are renamed.
ROOT_COLLECTION = ("Root", "Gốc")
WELCOME_PAGE = ("Welcome to your new Wagtail site!", "Trang chào mừng của Wagtail")


def rename(apps, schema_editor, reverse=False):
    Collection = apps.get_model("wagtailcore", "Collection")
    Page = apps.get_model("wagtailcore", "Page")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    old, new = ROOT_COLLECTION[::-1] if reverse else ROOT_COLLECTION
    Collection.objects.filter(depth=1, name=old).update(name=new)
    old, new = WELCOME_PAGE[::-1] if reverse else WELCOME_PAGE
    Page.objects.filter(depth=2, title=old).update(title=new, draft_title=new)
    PageLogEntry.objects.filter(label=old).update(label=new)


def restore(apps, schema_editor):
    rename(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_vietnamese_root_page_title"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(rename, restore)]
