"""
An index of live pages' expiry times on Wagtail's page table (wagtailcore_page has none).

Every cache of public answers ends at the next scheduled expiry (publishing.freshness
.next_expiry), which is read again after each content change: without an index that read is a
scan of every page (13–36 ms at 100,000 pages). The index is partial — live pages that have an
expiry time, a handful — so it costs nothing to keep. Raw SQL, as the table is Wagtail's; both
SQLite and PostgreSQL support partial indexes and use this one for `live AND expire_at > now
ORDER BY expire_at`.
"""

from django.db import migrations

INDEX = "publishing_page_live_expiry"


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (expire_at) "
            "WHERE live AND expire_at IS NOT NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
