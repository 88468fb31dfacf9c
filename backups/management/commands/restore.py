"""
``manage.py restore PATH [--no-input] [--trust-unsigned]``: put a backup made by ``manage.py
backup`` back.

In this order, stopping at the first problem:

1. Check the manifest's signature with this site's key (BACKUP_SIGNING_KEY, or one derived from
   SECRET_KEY), then the whole archive against the manifest (backups/archives.py), that it is of this
   site's database vendor, and that this code knows every migration it was made with. Nothing
   written. ``--trust-unsigned`` lets a manifest with no signature at all pass (backups made before
   they were signed); never one whose signature is wrong.
2. Ask for confirmation (unless --no-input), saying what will be overwritten.
3. Stage the database and the media beside where they go, checking every checksum again, and the
   database itself (SQLite: ``PRAGMA quick_check`` and the manifest's counts; PostgreSQL:
   ``pg_restore --list``, and that the target has no table the backup would leave behind).
4. Replace the database: SQLite by renaming the staged file over the old one (atomic);
   PostgreSQL with ``pg_restore --clean --if-exists --single-transaction`` (all or nothing).
5. Move the media into MEDIA_ROOT: the backup's files are written, other files are kept.

Nothing runs afterwards on its own: if this code has newer migrations it says to run ``migrate``.
"""

import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from backups.archives import (
    MEDIA,
    SIGNATURE,
    STAGING_PREFIX,
    BackupError,
    dump_tables,
    extract_members,
    fsync_folder,
    migration_gaps,
    postgres_environment,
    read_verified,
    run_tool,
    summarize,
)
from publishing.freshness import EVERYTHING, bump_content_version, forget_every_cached_answer


def sqlite_path():
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise CommandError("The database is in memory; there is no file to restore into.")
    path = Path(name)
    for companion in ("-wal", "-journal"):
        if Path(f"{path}{companion}").exists():
            raise CommandError(
                f"{path}{companion} exists: the database is in use (or was not closed cleanly). "
                "Stop the app servers, then restore."
            )
    return path


def restore_sqlite(archive, manifest, staged):
    """Check the copy staged beside the database, close our connections, rename it into place."""
    target = sqlite_path()
    try:
        with closing(sqlite3.connect(staged)) as copy:
            healthy = copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            counts = summarize(copy.cursor())["counts"] if healthy else None
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{archive}: the database in it is not this site's ({error}).") from error
    if not healthy:
        raise BackupError(f"{archive}: the database in it fails SQLite's integrity check.")
    if counts != manifest["counts"]:
        raise BackupError(f"{archive}: the database in it does not hold what its manifest counts.")
    if target.exists():
        shutil.copymode(target, staged)
    connections.close_all()
    staged.replace(target)
    fsync_folder(target.parent)


def restore_postgresql(archive, manifest, dump):
    """``pg_restore --single-transaction`` into the configured database: if anything fails, the
    transaction rolls back and the database is as it was. ``--clean --if-exists`` drops what the
    backup recreates; a table the backup does not have would survive beside restored data with
    the wrong migration history, so such a database is refused (restore into an empty one)."""
    env = postgres_environment(connection.settings_dict)
    extra = sorted(set(connection.introspection.table_names()) - dump_tables(dump, env))
    if extra:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} has tables the backup does not "
            f"({', '.join(extra[:5])}{', ...' if len(extra) > 5 else ''}); restoring would leave them "
            "behind. Restore into a new, empty database instead (docs/backups.md)."
        )
    connections.close_all()
    run_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env,
    )
    with connection.cursor() as cursor:
        counts = summarize(cursor)["counts"]
    if counts != manifest["counts"]:
        raise CommandError(f"Restored, but the database counts {counts}, not {manifest['counts']}.")


class Command(BaseCommand):
    help = "Restore the database and the media from a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup: a newsroom-<time>.tar file.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (scripts, CI).",
        )
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help=(
                "Restore a backup whose manifest has no signature (made before backups were signed) "
                "after checking its checksums only: nothing shows it was not edited. A backup with a "
                "wrong signature is refused all the same (docs/backups.md#the-signing-key)."
            ),
        )

    def handle(self, *args, path, interactive, trust_unsigned, **options):
        archive = Path(path)
        try:
            manifest = read_verified(archive, trust_unsigned=trust_unsigned)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        if SIGNATURE not in manifest:
            self.stdout.write(
                f"WARNING: {archive} is NOT signed; restoring it on your word (--trust-unsigned): its "
                "checksums match, but nothing shows it was not edited."
            )
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise CommandError(
                f"{archive} is a backup of a {vendor} database; this site uses {connection.vendor}. "
                "Backups restore into the same kind of database only. Nothing was changed."
            )
        unknown, behind = migration_gaps(manifest["migrations"])
        if unknown:
            raise CommandError(
                f"{archive} was made by a newer version of the code (migrations unknown here: "
                f"{', '.join(unknown[:5])}). Deploy that version, then restore. Nothing was changed."
            )
        local_media = isinstance(default_storage, FileSystemStorage)
        media = {name: value for name, value in manifest["files"].items() if name.startswith(MEDIA)}
        database_name = connection.settings_dict["NAME"]
        counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in manifest["counts"].items())
        self.stdout.write(f"Backup of {manifest['created_at']} ({vendor}): {counts}.")
        if interactive:
            where = f"{len(media)} files into {default_storage.location}" if local_media else "no media (S3)"
            answer = input(
                f"This REPLACES the database {database_name} with the backup's, and writes {where} "
                "(other files there are kept). Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled. Nothing was changed.")
        try:
            self.restore(archive, manifest, media if local_media else {})
        except BackupError as error:  # raised before the database or the media were touched
            raise CommandError(f"{error} Nothing was changed.") from error
        # Cached GraphQL answers are of the replaced content. A backup of earlier code lacks the
        # tables of this code's newer migrations until `migrate` runs (the stored answers' among
        # them): then only the cached answers go, and the stored ones restored with it stay
        # (they are the backup's own, for the content it holds).
        if behind:
            forget_every_cached_answer()
        else:
            bump_content_version(EVERYTHING)
        self.stdout.write(f"Restored the database {database_name}.")
        if local_media:
            self.stdout.write(f"Restored {len(media)} media files into {default_storage.location}.")
        elif media:
            self.stdout.write(
                f"Media NOT restored: this site keeps media on S3. The backup's {len(media)} files "
                "are under media/ in the archive (docs/backups.md#media-on-s3)."
            )
        if behind:
            self.stdout.write(
                f"This code has newer migrations for {', '.join(behind)}: run `manage.py migrate` now."
            )
        if settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] != "wagtail.search.backends.database":
            self.stdout.write("The search index is outside the database: run `manage.py update_index`.")

    def restore(self, archive, manifest, media):
        """Stage everything first, then replace the database, then move the media into place."""
        if connection.vendor == "sqlite":
            database_folder = sqlite_path().parent
        else:
            database_folder = None  # the system's temporary folder (TMPDIR)
        media_root = Path(default_storage.location) if media else None
        if media_root:
            media_root.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory(dir=database_folder, prefix=STAGING_PREFIX) as database_stage,
            tempfile.TemporaryDirectory(dir=media_root, prefix=STAGING_PREFIX) as media_stage,
        ):
            member = manifest["database"]["member"]
            database = Path(database_stage) / member
            staged_media = {name: Path(media_stage) / name.removeprefix(MEDIA) for name in media}
            extract_members(archive, manifest["files"], {member: database, **staged_media})
            if connection.vendor == "sqlite":
                restore_sqlite(archive, manifest, database)
            else:
                restore_postgresql(archive, manifest, database)
            for staged in staged_media.values():
                target = media_root / staged.relative_to(media_stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.replace(target)
