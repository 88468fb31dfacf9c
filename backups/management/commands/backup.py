"""
``manage.py backup [--output DIR]``: the database and the media in one file,
``<DIR>/newsroom-<UTC time>.tar`` (format in backups/archives.py, operations in docs/backups.md).

The database is copied first, then the media: every file the copied database names was uploaded
before the copy, so it is in the backup (files uploaded meanwhile are extra, and harmless).
The archive is written under a temporary name beside its final one and renamed when complete,
so a file named ``newsroom-*.tar`` is never half written.
"""

import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from backups.archives import (
    DATABASE_MEMBERS,
    FORMAT,
    VERSION,
    ArchiveWriter,
    BackupError,
    copy_sqlite,
    media_files,
    postgres_environment,
    run_tool,
    signing_keys,
    summarize,
)


def dump_sqlite(destination):
    """The online copy (backups.archives.copy_sqlite), then the manifest's summary read from the copy."""
    name = str(connection.settings_dict["NAME"])
    if "mode=memory" not in name and name != ":memory:" and not Path(name).is_file():
        raise BackupError(f"No database at {name}: nothing to back up (not migrated yet?).")
    connection.ensure_connection()
    copy_sqlite(connection.connection, destination)
    with closing(sqlite3.connect(destination)) as copy:
        return summarize(copy.cursor())


def dump_postgresql(destination):
    """pg_dump from a snapshot this connection exports: the manifest's counts and migrations are
    read in the very snapshot pg_dump copies."""
    env = postgres_environment(connection.settings_dict)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        summary = summarize(cursor)
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={destination}",
            ],
            env,
        )
    return summary


class Command(BaseCommand):
    help = "Back up the database and the media into one archive (docs/backups.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="Folder to write newsroom-<UTC time>.tar into (default: var/backups/ in the project).",
        )

    def handle(self, *args, output, **options):
        vendor = connection.vendor
        if vendor not in DATABASE_MEMBERS:
            raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        try:
            key = signing_keys()[0]  # signs the manifest (docs/backups.md#the-signing-key)
        except BackupError as error:
            raise CommandError(str(error)) from error
        output = Path(output)
        if output.exists() and not output.is_dir():
            raise CommandError(f"--output {output} is a file, not a folder.")
        output.mkdir(parents=True, exist_ok=True)
        created = datetime.now(UTC).replace(microsecond=0)
        final = output / f"newsroom-{created:%Y%m%dT%H%M%SZ}.tar"
        if final.exists():
            raise CommandError(f"{final} already exists; not overwriting it.")
        local_media = isinstance(default_storage, FileSystemStorage)
        try:
            # Beside the final file: same file system, so the last step is an atomic rename; 0700.
            with tempfile.TemporaryDirectory(dir=output, prefix=".newsroom-backup-") as work:
                database = Path(work) / DATABASE_MEMBERS[vendor]
                summary = dump_sqlite(database) if vendor == "sqlite" else dump_postgresql(database)
                partial = Path(work) / final.name
                archive = ArchiveWriter(partial)
                archive.add(database, DATABASE_MEMBERS[vendor])
                database.unlink()
                if local_media:
                    for path, name in media_files(default_storage.location):
                        archive.add(path, name)
                media_count = len(archive.files) - 1
                archive.close(
                    {
                        "format": FORMAT,
                        "version": VERSION,
                        "created_at": created.isoformat(),
                        "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor]},
                        "media": {"storage": "local" if local_media else "s3", "files": media_count},
                        "software": {"django": django.__version__, "wagtail": wagtail.__version__},
                        **summary,
                    },
                    key,
                )
                partial.chmod(0o600)  # it holds password hashes and unpublished drafts
                partial.replace(final)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except (DatabaseError, sqlite3.DatabaseError) as error:  # Django's, or sqlite3's on the copy
            raise CommandError(f"The database is not this site's, or not migrated ({error}).") from error
        counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in summary["counts"].items())
        self.stdout.write(f"Backup written: {final} ({final.stat().st_size / 1e6:.1f} MB)")
        self.stdout.write(f"  {vendor} database: {counts}")
        signer = (
            "BACKUP_SIGNING_KEY" if key.source == "BACKUP_SIGNING_KEY" else "a key derived from SECRET_KEY"
        )
        self.stdout.write(f"  signed with {signer} (docs/backups.md#the-signing-key)")
        if local_media:
            self.stdout.write(f"  media: {media_count} files from {default_storage.location}")
        else:
            self.stdout.write(
                "  media: NOT included — they are on S3 (AWS_STORAGE_BUCKET_NAME); keep them with "
                "the bucket's versioning and lifecycle rule, see docs/backups.md#media-on-s3."
            )
