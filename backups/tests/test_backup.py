"""
Backups that restore (docs/backups.md; backups/archives.py, ``manage.py backup`` and ``restore``).

The restore drill, on SQLite and on PostgreSQL: a site with content of every kind (pages with
revisions and a later draft, sectors, an image with a rendition, a document, users, the webhook
log) is backed up; its database is dropped and its media deleted; a fresh database is restored
from the backup; GraphQL, the admin's page history, the rows and the media files are as before.
Every step is ``manage.py`` in a process of its own, as an operator runs it.

The PostgreSQL drill creates (and drops) databases of its own on the suite's PostgreSQL server, or
on the local one (127.0.0.1:5432, user postgres) when the suite runs on SQLite
(testing.services.postgresql_server); without one, or without pg_dump, it is skipped, and fails
instead in CI (NEWSROOM_REQUIRE_SERVICES=1).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page
from wagtail_factories import DocumentFactory, ImageFactory

from backups.archives import BackupError, SigningKey, copy_sqlite, read_verified, sign_manifest
from news.factories import NewsPageFactory
from testing.services import postgresql_server, requires_service

PROJECT = Path(settings.BASE_DIR)
TIMEOUT = 300


class Site:
    """A site of its own (database and MEDIA_ROOT) that ``manage.py`` runs against."""

    def __init__(self, database_url, folder):
        self.folder = folder
        self.media = folder / "media"
        self.backups = folder / "backups"
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "backups.tests.backup_settings",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(self.media),
        }

    def run(self, *args, env=None):
        return subprocess.run(  # noqa: S603 (this interpreter, our arguments)
            [sys.executable, *args],
            env={**self.env, **(env or {})},
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    def manage(self, *args, **kwargs):
        result = self.run("manage.py", *args, **kwargs)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def refused(self, *args, **kwargs):
        """The error of a ``manage.py`` command that must fail."""
        result = self.run("manage.py", *args, **kwargs)
        assert result.returncode != 0, result.stdout
        return result.stderr

    def drill(self, action):
        result = self.run("-m", "backups.tests.backup_drill", action)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if action == "read" else None

    def backup(self):
        self.manage("backup", "--output", str(self.backups))
        return max(self.backups.glob("newsroom-*.tar"))


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-site")
    site = Site(f"sqlite:///{folder / 'db.sqlite3'}", folder)
    site.database = folder / "db.sqlite3"
    site.manage("migrate", "--no-input", "-v", "0")
    site.drill("fill")
    site.drop = site.database.unlink
    site.create = lambda: None  # restoring creates the file
    return site


def postgres_admin(server, statement):
    admin = psycopg2.connect(dbname="postgres", **server)
    try:
        admin.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
        admin.cursor().execute(statement)
    finally:
        admin.close()


@pytest.fixture(scope="module")
def postgresql_site(tmp_path_factory):
    server = postgresql_server()
    name = f"newsroom_drill_{os.getpid()}"
    auth = server["user"] + (f":{quote(server['password'])}" if server["password"] else "")
    url = f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    site = Site(url, tmp_path_factory.mktemp("pg-site"))
    site.drop = lambda: postgres_admin(server, f"DROP DATABASE {name}")
    site.create = lambda: postgres_admin(server, f"CREATE DATABASE {name}")
    site.create()
    try:
        site.manage("migrate", "--no-input", "-v", "0")
        site.drill("fill")
        yield site
    finally:
        postgres_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.parametrize(
    "vendor",
    ["sqlite", pytest.param("postgresql", marks=requires_service("postgresql-client", "postgresql"))],
)
def test_restore_drill(vendor, request):
    """Back up, lose the database and the media, restore into a fresh database: nothing differs."""
    site = request.getfixturevalue(f"{vendor}_site")
    before = site.drill("read")
    assert before["graphql"]["page"]["data"]["page"]["title"] == "Hợp tác nông nghiệp Bắc Kạn – Thái Nguyên"
    assert len(before["history"]["hop-tac-nong-nghiep-bac-kan-thai-nguyen"][1]) == 6
    assert {"documents/bien-ban-ghi-nho.pdf", "images/dong-phuc.width-320.jpg"} <= set(before["media"])
    assert [delivery["status"] for delivery in before["deliveries"]] == ["delivered", "failed"]
    archive = site.backup()
    manifest = read_verified(archive)
    assert manifest["database"]["vendor"] == vendor
    assert manifest["counts"]["revisions"] == 4 and manifest["counts"]["webhook_deliveries"] == 2

    site.drop()
    shutil.rmtree(site.media)
    site.create()
    output = site.manage("restore", str(archive), "--no-input")
    assert "Restored the database" in output

    after = site.drill("read")
    for part in before:
        assert after[part] == before[part], part


@pytest.fixture(scope="module")
def sqlite_backup(sqlite_site):
    return sqlite_site.backup()


def fingerprint(site):
    """The database file and every file under MEDIA_ROOT (and under the database's folder, where
    a restore stages its copy), by content."""
    return {
        path.relative_to(site.folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.folder.rglob("*"))
        if path.is_file() and site.backups not in path.parents
    }


def members(archive):
    with tarfile.open(archive) as tar:
        return [(member, tar.extractfile(member).read()) for member in tar]


def write_archive(path, entries):
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in entries:
            info = tarfile.TarInfo(member if isinstance(member, str) else member.name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def with_manifest(entries, change, signed=True):
    """The entries with their manifest changed by `change` (its checksums still right)."""
    result = []
    for member, data in entries:
        if member.name == "manifest.json":
            manifest = json.loads(data)
            change(manifest)
            data = json.dumps(sign_manifest(manifest) if signed else manifest).encode()
        result.append((member, data))
    return result


def damaged(archive, tmp_path, damage):
    entries = members(archive)
    data = archive.read_bytes()
    database = next(data for member, data in entries if member.name == "database.sqlite3")
    broken = tmp_path / f"{damage}.tar"
    if damage == "truncated":
        broken.write_bytes(data[: len(data) // 2])
    elif damage == "corrupt":
        middle = len(data) // 3
        flipped = bytes(byte ^ 0xFF for byte in data[middle : middle + 64])
        broken.write_bytes(data[:middle] + flipped + data[middle + 64 :])
    elif damage == "not-an-archive":
        broken.write_bytes("Đây không phải bản sao lưu.".encode() * 1000)
    elif damage == "no-manifest":
        write_archive(broken, [entry for entry in entries if entry[0].name != "manifest.json"])
    elif damage == "edited-media":
        write_archive(
            broken,
            [
                (member, data.replace(b"Bi", b"Xi") if member.name.endswith(".pdf") else data)
                for member, data in entries
            ],
        )
    elif damage == "extra-member":
        write_archive(broken, [*entries, ("media/them-vao.txt", b"khong co trong manifest")])
    elif damage == "escaping-path":
        write_archive(broken, [*entries, ("media/../../db.sqlite3", database)])
    elif damage == "other-format-version":
        write_archive(broken, with_manifest(entries, lambda manifest: manifest.update(version=99)))
    else:
        raise AssertionError(damage)
    return broken


DAMAGES = [
    "truncated",
    "corrupt",
    "not-an-archive",
    "no-manifest",
    "edited-media",
    "extra-member",
    "escaping-path",
    "other-format-version",
]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_backup_is_refused_before_anything_is_read_into_the_site(damage, sqlite_backup, tmp_path):
    read_verified(sqlite_backup)  # the undamaged one is fine
    with pytest.raises(BackupError):
        read_verified(damaged(sqlite_backup, tmp_path, damage))


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "edited-media"])
def test_restoring_a_damaged_backup_changes_nothing(damage, sqlite_site, sqlite_backup, tmp_path):
    before = fingerprint(sqlite_site)
    error = sqlite_site.refused("restore", str(damaged(sqlite_backup, tmp_path, damage)), "--no-input")
    assert "Nothing was changed" in error
    assert fingerprint(sqlite_site) == before


def test_a_backup_whose_database_is_damaged_but_checksummed_is_refused(sqlite_site, sqlite_backup, tmp_path):
    """Checksums catch damage after the backup was written; SQLite's own check and the manifest's
    counts catch a backup that was wrong when written (here: a database of other content)."""
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as database:
        database.execute("CREATE TABLE t (x)")
    entries = []
    for member, data in members(sqlite_backup):
        if member.name == "database.sqlite3":
            data = other.read_bytes()
        entries.append((member, data))

    def resign(manifest):
        manifest["files"]["database.sqlite3"] = {
            "size": len(other.read_bytes()),
            "sha256": hashlib.sha256(other.read_bytes()).hexdigest(),
        }

    broken = write_archive(tmp_path / "resigned.tar", with_manifest(entries, resign))
    before = fingerprint(sqlite_site)
    error = sqlite_site.refused("restore", str(broken), "--no-input")
    assert "the database in it is not this site's (no such table" in error and "Nothing was changed" in error
    assert fingerprint(sqlite_site) == before
    assert not list(sqlite_site.folder.glob(".newsroom-restore-*"))


def test_a_backup_of_another_database_vendor_is_refused(sqlite_site, sqlite_backup):
    # Nothing listens on port 9: the refusal comes before any connection.
    error = sqlite_site.refused(
        "restore",
        str(sqlite_backup),
        "--no-input",
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"},
    )
    assert "is a backup of a sqlite database; this site uses postgresql" in error


def test_a_backup_of_a_newer_version_of_the_code_is_refused(sqlite_site, sqlite_backup, tmp_path):
    def newer(manifest):
        manifest["migrations"]["news"] = "9999_from_the_future"

    broken = write_archive(tmp_path / "newer.tar", with_manifest(members(sqlite_backup), newer))
    before = fingerprint(sqlite_site)
    error = sqlite_site.refused("restore", str(broken), "--no-input")
    assert "newer version of the code" in error and "news.9999_from_the_future" in error
    assert fingerprint(sqlite_site) == before


def test_restore_asks_first_and_stops_unless_told_yes(sqlite_site, sqlite_backup):
    before = fingerprint(sqlite_site)
    result = subprocess.run(  # noqa: S603 (this interpreter, our arguments)
        [sys.executable, "manage.py", "restore", str(sqlite_backup)],
        env=sqlite_site.env,
        cwd=PROJECT,
        input="no\n",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert "REPLACES the database" in result.stdout
    assert result.returncode != 0 and "Restore cancelled" in result.stderr
    assert fingerprint(sqlite_site) == before


def test_the_online_copy_is_consistent_while_another_connection_writes(tmp_path):
    """A ledger of transfers (two rows summing to zero, committed together), written without pause
    by another connection, and left with a transfer half written in an open transaction: every copy
    is a whole database with whole transfers only."""
    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER, memo TEXT)")
        setup.executemany(
            "INSERT INTO ledger (amount, memo) VALUES (?, ?)",
            [(amount, "Chuyển khoản " * 40) for _ in range(5000) for amount in (100, -100)],
        )
    stop = threading.Event()
    written = []

    def write():
        writer = sqlite3.connect(path, timeout=20, isolation_level=None)
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO ledger (amount, memo) VALUES (7, 'vào')")
            writer.execute("INSERT INTO ledger (amount, memo) VALUES (-7, 'ra')")
            writer.execute("COMMIT")
            written.append(1)
        writer.close()

    def check(copy_path):
        with sqlite3.connect(copy_path) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count, total = copy.execute("SELECT COUNT(*), SUM(amount) FROM ledger").fetchone()
        assert count % 2 == 0 and total == 0
        return count

    thread = threading.Thread(target=write)
    thread.start()
    try:
        counts = []
        for number in range(5):
            source = sqlite3.connect(path, timeout=20)
            copy_sqlite(source, tmp_path / f"copy-{number}.sqlite3")
            source.close()
            counts.append(check(tmp_path / f"copy-{number}.sqlite3"))
    finally:
        stop.set()
        thread.join(30)
    assert len(written) > 0 and counts[-1] > counts[0]  # the writer wrote between the copies

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO ledger (amount, memo) VALUES (500, 'nửa giao dịch')")
    source = sqlite3.connect(path, timeout=20)
    copy_sqlite(source, tmp_path / "during.sqlite3")
    source.close()
    holder.execute("ROLLBACK")
    holder.close()
    assert check(tmp_path / "during.sqlite3") == check(path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_manifest_describes_what_was_backed_up(news_index, tmp_path, settings):
    """In process, on the suite's own database (SQLite or PostgreSQL): the manifest's counts are
    the database's, and every file under MEDIA_ROOT is in the archive."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    image = ImageFactory(title="Cầu Pắc Cáp", file__filename="cau-pac-cap.jpg")
    NewsPageFactory(parent=news_index, title="Hợp tác nông nghiệp Bắc Kạn – Thái Nguyên", hero_image=image)
    DocumentFactory(title="Báo cáo", file__filename="bao-cao.txt", file__data="Báo cáo".encode())
    stdout = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=stdout)
    [archive] = (tmp_path / "backups").glob("newsroom-*.tar")
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = read_verified(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"]["pages"] == Page.objects.count()
    assert manifest["counts"]["images"] == 1 and manifest["counts"]["documents"] == 1
    media = sorted(name for name in manifest["files"] if name.startswith("media/"))
    assert media == ["media/documents/bao-cao.txt", "media/original_images/cau-pac-cap.jpg"]
    assert manifest["migrations"]["news"].startswith("0")
    assert "media: 2 files" in stdout.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_media_on_s3_the_backup_says_where_they_are_kept(tmp_path, settings):
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "newsroom-media"}}
    settings.STORAGES = {**settings.STORAGES, "default": s3}
    stdout = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=stdout)
    [archive] = tmp_path.glob("newsroom-*.tar")
    manifest = read_verified(archive)
    assert manifest["media"] == {"storage": "s3", "files": 0}
    assert list(manifest["files"]) == [f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}"]
    assert "NOT included" in stdout.getvalue() and "docs/backups.md#media-on-s3" in stdout.getvalue()


@pytest.mark.django_db
def test_bad_input_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.tar"), interactive=False)
    (tmp_path / "file").write_text("")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("backup", output=str(tmp_path / "file"))


def test_backing_up_a_missing_or_foreign_database_is_refused(sqlite_site, tmp_path):
    output = tmp_path / "backups"
    missing = tmp_path / "missing.sqlite3"
    error = sqlite_site.refused(
        "backup", "--output", str(output), env={"DATABASE_URL": f"sqlite:///{missing}"}
    )
    assert "No database at" in error and not missing.exists()  # not created by the attempt
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as database:
        database.execute("CREATE TABLE t (x)")
    error = sqlite_site.refused("backup", "--output", str(output), env={"DATABASE_URL": f"sqlite:///{other}"})
    assert "not this site's, or not migrated (no such table" in error
    assert list(output.iterdir()) == []  # no half-written backup left behind


def rechecksummed_media(archive, tmp_path):
    """The attack: a media member replaced, its size and SHA-256 recomputed in the manifest, the
    archive packed again — everything a checksum can check is consistent."""
    replacement = b"%PDF-1.4 tai lieu da bi thay the"
    entries = []
    for member, data in members(archive):
        if member.name.endswith(".pdf"):
            name, data = member.name, replacement
        entries.append((member, data))

    def recompute(manifest):
        manifest["files"][name] = {
            "size": len(replacement),
            "sha256": hashlib.sha256(replacement).hexdigest(),
        }

    return write_archive(tmp_path / "rechecksummed.tar", with_manifest(entries, recompute, signed=False))


def test_a_media_member_replaced_with_its_checksum_recomputed_is_refused(
    sqlite_site, sqlite_backup, tmp_path
):
    broken = rechecksummed_media(sqlite_backup, tmp_path)
    with pytest.raises(BackupError, match="changed after the backup was signed"):
        read_verified(broken)
    before = fingerprint(sqlite_site)
    error = sqlite_site.refused("restore", str(broken), "--no-input")
    assert "changed after the backup was signed" in error and "Nothing was changed" in error
    assert fingerprint(sqlite_site) == before
    # Trusting unsigned backups does not make a wrongly signed one acceptable.
    error = sqlite_site.refused("restore", str(broken), "--no-input", "--trust-unsigned")
    assert "changed after the backup was signed" in error
    assert fingerprint(sqlite_site) == before


MANIFEST_EDITS = {
    "counts": lambda manifest: manifest["counts"].update(pages=manifest["counts"]["pages"] + 1),
    "created_at": lambda manifest: manifest.update(created_at="2020-01-01T00:00:00+00:00"),
    "older migrations": lambda manifest: manifest["migrations"].update(news="0001_initial"),
    "media storage": lambda manifest: manifest["media"].update(storage="s3"),
    "a file dropped": lambda manifest: manifest["files"].pop(
        next(n for n in manifest["files"] if n.endswith(".pdf"))
    ),
    "a key added": lambda manifest: manifest.update(note="đã kiểm tra"),
    "the signature's value": lambda manifest: manifest["signature"].update(value="0" * 64),
    "the signature's algorithm": lambda manifest: manifest["signature"].update(algorithm="sha256"),
    "the signature unreadable": lambda manifest: manifest.update(signature="ký rồi"),
    "the signature null": lambda manifest: manifest.update(signature=None),
    "the signature's key id not ASCII": lambda manifest: manifest["signature"].update(key_id="khóa-ký"),
    "the signature's value not ASCII": lambda manifest: manifest["signature"].update(value="ữ" * 64),
}


@pytest.mark.parametrize("edit", MANIFEST_EDITS)
@pytest.mark.parametrize("trust_unsigned", [False, True])
def test_a_manifest_edited_in_any_way_is_refused(edit, trust_unsigned, sqlite_backup, tmp_path):
    entries = members(sqlite_backup)
    if edit == "a file dropped":  # the member goes with it: the checksums alone find nothing wrong
        entries = [(member, data) for member, data in entries if not member.name.endswith(".pdf")]
    broken = write_archive(
        tmp_path / "edited.tar", with_manifest(entries, MANIFEST_EDITS[edit], signed=False)
    )
    with pytest.raises(BackupError, match="signature|signed"):
        read_verified(broken, trust_unsigned=trust_unsigned)


def test_an_unsigned_backup_is_refused_unless_trusted_explicitly(sqlite_site, sqlite_backup, tmp_path):
    """A backup made before backups were signed (or with its signature removed) is refused, naming
    the reason; `--trust-unsigned` restores it, saying so."""
    unsigned = write_archive(
        tmp_path / "unsigned.tar",
        with_manifest(members(sqlite_backup), lambda manifest: manifest.pop("signature"), signed=False),
    )
    with pytest.raises(BackupError, match="is not signed"):
        read_verified(unsigned)
    before = fingerprint(sqlite_site)
    error = sqlite_site.refused("restore", str(unsigned), "--no-input")
    assert "is not signed" in error and "--trust-unsigned" in error and "Nothing was changed" in error
    assert fingerprint(sqlite_site) == before
    output = sqlite_site.manage("restore", str(unsigned), "--no-input", "--trust-unsigned")
    assert "NOT signed" in output and "Restored the database" in output


def test_a_backup_signed_with_another_key_is_refused_saying_the_key_differs(sqlite_site, tmp_path):
    first, second = "k" * 40, "m" * 40
    sqlite_site.manage("backup", "--output", str(tmp_path), env={"BACKUP_SIGNING_KEY": first})
    [archive] = tmp_path.glob("newsroom-*.tar")
    before = fingerprint(sqlite_site)
    error = sqlite_site.refused("restore", str(archive), "--no-input", env={"BACKUP_SIGNING_KEY": second})
    assert "signed with a different key" in error and "Nothing was changed" in error
    # Made with the key BACKUP_SIGNING_KEY sets; restored where the key comes from SECRET_KEY.
    error = sqlite_site.refused("restore", str(archive), "--no-input", env={"BACKUP_SIGNING_KEY": ""})
    assert "signed with a different key" in error
    assert "made with BACKUP_SIGNING_KEY, and this site's key is derived from SECRET_KEY" in error
    assert fingerprint(sqlite_site) == before
    # The key it was made with restores it, whatever SECRET_KEY is (another server, or after
    # SECRET_KEY changed).
    output = sqlite_site.manage("restore", str(archive), "--no-input", env={"BACKUP_SIGNING_KEY": first})
    assert "Restored the database" in output


def test_a_short_signing_key_is_refused_before_anything_is_written(sqlite_site, tmp_path):
    error = sqlite_site.refused("backup", "--output", str(tmp_path), env={"BACKUP_SIGNING_KEY": "short"})
    assert "BACKUP_SIGNING_KEY is too short" in error
    assert list(tmp_path.iterdir()) == []


def test_after_rotating_secret_key_the_old_one_in_its_fallbacks_still_verifies(sqlite_backup, settings):
    """Without BACKUP_SIGNING_KEY, the key is derived from SECRET_KEY; a key rotated Django's way
    (the old one in SECRET_KEY_FALLBACKS) still restores the backups made before."""
    settings.BACKUP_SIGNING_KEY = ""
    settings.SECRET_KEY, old = "a-new-secret-key-" * 3, settings.SECRET_KEY
    with pytest.raises(BackupError, match="signed with a different key"):
        read_verified(sqlite_backup)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert read_verified(sqlite_backup)["signature"]["key"] == "SECRET_KEY"


def test_backups_signed_by_earlier_versions_still_verify():
    """The signature's salts are part of the format: a manifest signed by the code of 2026-11-30
    (then in the cms package) verifies, its key id unchanged."""
    key = SigningKey("khóa-ký-bản-sao-lưu-" * 3, "BACKUP_SIGNING_KEY")
    manifest = {"format": 1, "created": "2026-11-30T06:15:00+00:00", "note": "Bản sao lưu đêm"}
    assert sign_manifest(manifest, key)["signature"] == {
        "algorithm": "hmac-sha256",
        "key": "BACKUP_SIGNING_KEY",
        "key_id": "8d7e266d4d23864a",
        "value": "0b13554885199accb6308c08c7720070b3398e767ad0825b2b1a407420ac4619",
    }


def test_a_backup_of_earlier_code_restores_and_asks_for_migrate(tmp_path):
    """A backup made before a migration of this code (here: before the stored answers had their own
    app and table) restores, says to run `migrate`, and migrates: nothing touched the tables the
    restored database does not have yet (the restore used to end in a traceback there)."""
    folder = tmp_path / "earlier"
    folder.mkdir()
    earlier = Site(f"sqlite:///{folder / 'db.sqlite3'}", folder)
    earlier.manage("migrate", "--no-input", "-v", "0")
    earlier.manage("migrate", "answers", "zero", "--no-input", "-v", "0")
    archive = earlier.backup()
    output = earlier.manage("restore", str(archive), "--no-input")
    assert "newer migrations for answers" in output and "run `manage.py migrate` now" in output
    earlier.manage("migrate", "--no-input", "-v", "0")
    assert "No changes detected" in earlier.manage("makemigrations", "--check", "--dry-run")
