"""
Backups that restore (docs/backups.md): one tar file holding the database, the media and a
manifest describing both, written by ``manage.py backup`` and read back by ``manage.py restore``.

    database.sqlite3    SQLite: a copy made with SQLite's online backup API, consistent while the
                        site keeps writing (a plain file copy of a live database may be torn)
    database.pgdump     PostgreSQL: ``pg_dump --format=custom``, from the snapshot the counts in
                        the manifest were taken in
    media/<path>        every file under MEDIA_ROOT (local storage only; S3 has bucket versioning)
    manifest.json       what the backup is, and the size and SHA-256 of every other member,
                        signed (HMAC-SHA256, the key of `signing_keys`); written last, so a
                        backup cut short has none and is refused

A restore checks the manifest's signature, then the whole archive against the manifest, before it
changes anything: a truncated, corrupt or edited backup is refused with the site untouched. The
checksums alone would not do: whoever edits a member can compute its new checksum too, but not
the signature without the key.
"""

import hashlib
import hmac
import io
import json
import os
import posixpath
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.migrations.loader import MigrationLoader
from django.utils.crypto import salted_hmac
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from webhooks.models import WebhookDelivery

FORMAT = "newsroom-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media/"
# Folders the restore stages media in (inside MEDIA_ROOT, to move files with a rename); never backed up.
STAGING_PREFIX = ".newsroom-restore-"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
SIGNATURE = "signature"
SIGNATURE_ALGORITHM = "hmac-sha256"
# Salts of the keys derived from the secret: a backup's signature is no other HMAC Django or this
# project makes with SECRET_KEY, and the key's id reveals nothing of the key. Part of every backup's
# signature: never change them (they name the module these lived in when the format was made).
SIGNING_SALT = "cms.backups.manifest"
KEY_ID_SALT = "cms.backups.key-id"
MIN_SIGNING_KEY_LENGTH = 32


class BackupError(Exception):
    """A backup that cannot be written, or must not be restored. Raised before anything changed."""


class SigningKey:
    """A secret manifests are signed with, and where it comes from (said when keys differ)."""

    def __init__(self, secret, source):
        self.secret, self.source = secret, source

    def mac(self, value):
        return salted_hmac(SIGNING_SALT, value, secret=self.secret, algorithm="sha256").hexdigest()

    @property
    def id(self):
        """Names the key without revealing it: an HMAC of nothing under a salt of its own."""
        return salted_hmac(KEY_ID_SALT, b"", secret=self.secret, algorithm="sha256").hexdigest()[:16]


def signing_keys():
    """
    The keys a backup's manifest may be signed with, the one new backups are signed with first:
    BACKUP_SIGNING_KEY when set, which the operator keeps apart from the backups, so that a backup
    restores on another server or after SECRET_KEY changed; otherwise a key derived from
    SECRET_KEY (and from each of SECRET_KEY_FALLBACKS, for backups made before it was rotated).
    """
    if settings.BACKUP_SIGNING_KEY:
        if len(settings.BACKUP_SIGNING_KEY) < MIN_SIGNING_KEY_LENGTH:
            raise BackupError(
                f"BACKUP_SIGNING_KEY is too short: at least {MIN_SIGNING_KEY_LENGTH} characters, e.g. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(48))' "
                "(docs/backups.md#the-signing-key)."
            )
        return [SigningKey(settings.BACKUP_SIGNING_KEY, "BACKUP_SIGNING_KEY")]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not settings.SECRET_KEY:
        raise BackupError(
            "Neither BACKUP_SIGNING_KEY nor SECRET_KEY is set: there is no key to sign backups with."
        )
    return [SigningKey(secret, "SECRET_KEY") for secret in secrets if secret]


def signed_content(manifest):
    """The bytes a signature covers: the manifest without its signature, in one canonical form, so
    that what is verified is exactly what the restore reads (whatever the file's spacing)."""
    content = {key: value for key, value in manifest.items() if key != SIGNATURE}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def sign_manifest(manifest, key=None):
    """The manifest with its signature, by `key` (default: this site's signing key)."""
    key = key or signing_keys()[0]
    signature = {"algorithm": SIGNATURE_ALGORITHM, "key": key.source, "key_id": key.id}
    return {**manifest, SIGNATURE: {**signature, "value": key.mac(signed_content(manifest))}}


def key_difference(made_with, ours):
    """Why a backup's key is not this site's, as far as the manifest says (its `key` is only
    trusted to pick one of these sentences)."""
    if made_with == ours.source == "BACKUP_SIGNING_KEY":
        why = "this site's BACKUP_SIGNING_KEY is not the one it was made with."
    elif made_with == ours.source == "SECRET_KEY":
        why = (
            "it was made with a key derived from another SECRET_KEY (on another server, or before "
            "SECRET_KEY changed), and BACKUP_SIGNING_KEY is not set."
        )
    elif made_with == "BACKUP_SIGNING_KEY":
        why = "it was made with BACKUP_SIGNING_KEY, and this site's key is derived from SECRET_KEY."
    elif made_with == "SECRET_KEY":
        why = (
            "it was made with a key derived from SECRET_KEY, and this site's key is set by "
            "BACKUP_SIGNING_KEY."
        )
    else:
        why = "it names no key this site knows."
    return (
        f"{why} Restore it with the key it was made with: the BACKUP_SIGNING_KEY (or, if that was not "
        "set, the DJANGO_SECRET_KEY) of when it was made, in this command's environment "
        "(docs/backups.md#the-signing-key)."
    )


def check_signature(path, manifest, trust_unsigned=False):
    """
    Nothing unless the manifest is signed with one of this site's keys (`signing_keys`) and has not
    changed since; otherwise a BackupError naming why: unsigned, signed with another key, edited.
    `trust_unsigned`: a manifest with no signature at all (a backup made before they were signed)
    passes — never one whose signature is wrong.
    """
    if SIGNATURE not in manifest:
        if trust_unsigned:
            return
        raise BackupError(
            f"{path} is not signed: it was made before backups were signed, or its signature was "
            "removed, so nothing shows it is unaltered. A backup made since signing began that has "
            "no signature was edited: do not restore it. If you know this one is older and yours, "
            "restore it with --trust-unsigned (docs/backups.md#the-signing-key)."
        )
    signature = manifest[SIGNATURE]  # present, even as null: only a missing one is "unsigned"
    fields = ("algorithm", "key", "key_id", "value")
    if not isinstance(signature, dict) or not all(
        isinstance(signature.get(name), str) and signature[name].isascii() for name in fields
    ):  # compare_digest takes ASCII text only
        raise BackupError(f"{path}: the manifest's signature is unreadable; the backup was edited.")
    if signature["algorithm"] != SIGNATURE_ALGORITHM:
        raise BackupError(
            f"{path}: the manifest's signature is not {SIGNATURE_ALGORITHM}; the backup was edited."
        )
    keys = signing_keys()
    key = next((key for key in keys if hmac.compare_digest(key.id, signature["key_id"])), None)
    if key is None:
        raise BackupError(
            f"{path} was signed with a different key: {key_difference(signature['key'], keys[0])}"
        )
    if not hmac.compare_digest(key.mac(signed_content(manifest)), signature["value"]):
        raise BackupError(
            f"{path}: the manifest was changed after the backup was signed; the backup was edited."
        )


def counted_models():
    """What the manifest counts: a restore compares the restored database with these numbers."""
    return {
        "pages": Page,
        "revisions": Revision,
        "images": get_image_model(),
        "documents": get_document_model(),
        "users": get_user_model(),
        "webhook_deliveries": WebhookDelivery,
    }


def summarize(cursor):
    """Row counts and the latest applied migration of each app, read through a DB-API cursor
    (Django's, or sqlite3's on a copy), so they describe exactly the data being backed up."""
    counts = {}
    for name, model in counted_models().items():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608 (model's own table)
        counts[name] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations")
    migrations = {}
    for app, name in cursor.fetchall():
        migrations[app] = max(migrations.get(app, ""), name)
    return {"counts": counts, "migrations": dict(sorted(migrations.items()))}


def migration_gaps(backup_migrations):
    """(unknown, behind): migrations of the backup this code does not have (a backup of a newer
    version: refuse), and apps whose code is ahead of the backup, new apps included (run ``migrate``
    after restoring)."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    latest = {}
    for app, name in known:
        latest[app] = max(latest.get(app, ""), name)
    unknown = [f"{app}.{name}" for app, name in backup_migrations.items() if (app, name) not in known]
    # An app the backup has no migration of at all (new since it was made) is behind too.
    behind = sorted(app for app, name in latest.items() if name > backup_migrations.get(app, ""))
    return unknown, behind


def copy_sqlite(source, destination):
    """Copy the database open on `source` (a sqlite3 connection) to the file `destination` with
    SQLite's online backup API, in one step: the copy is made under a single read transaction, so
    it is the database as of one moment even while other connections write; they wait for the copy
    (within their busy timeout) unless the database is in WAL mode. A plain file copy of a live
    database may catch a write half done."""
    with closing(sqlite3.connect(destination)) as target:
        source.backup(target, pages=-1)


class HashingReader:
    """Hands a file's bytes to tarfile and hashes them on the way: each byte is read once, so the
    checksum is of exactly what went into the archive."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        return data


class ArchiveWriter:
    """Writes the members, remembering each one's size and SHA-256 for the manifest."""

    def __init__(self, path):
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)  # PAX: UTF-8 file names
        self.files = {}

    def add(self, source, name):
        with open(source, "rb") as file:
            info = self.tar.gettarinfo(arcname=name, fileobj=file)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            reader = HashingReader(file)
            self.tar.addfile(info, reader)
        self.files[name] = {"size": info.size, "sha256": reader.sha256.hexdigest()}

    def close(self, manifest, key):
        manifest = sign_manifest({**manifest, "files": self.files}, key)
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(datetime.fromisoformat(manifest["created_at"]).timestamp())
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()


def media_files(root):
    """(path, member name) of every regular file under MEDIA_ROOT, in a stable order."""
    root = Path(root)
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(STAGING_PREFIX))
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, MEDIA + path.relative_to(root).as_posix()


def safe_member_name(name):
    """The only names a restore will write: no absolute path, no '..', nothing outside media/."""
    normal = posixpath.normpath(name)
    if normal != name or name.startswith("/") or ".." in name.split("/"):
        return False
    return name == MANIFEST or name in DATABASE_MEMBERS.values() or name.startswith(MEDIA)


def hash_stream(stream):
    sha256, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    return {"size": size, "sha256": sha256.hexdigest()}


def read_verified(path, trust_unsigned=False):
    """The manifest of the backup at `path`, once its signature is found right (`check_signature`)
    and every member has been read and found exactly as the manifest describes it (and nothing else
    is in the archive). Writes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    found, manifest_bytes = {}, None
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if not member.isfile() or not safe_member_name(member.name):
                    raise BackupError(f"{path} holds an unexpected member {member.name!r}.")
                if member.name in found or (member.name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"{path} holds {member.name!r} twice.")
                if member.name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError(f"{path}: the manifest is implausibly large.")
                    manifest_bytes = tar.extractfile(member).read()
                else:
                    found[member.name] = hash_stream(tar.extractfile(member))
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path} is not a complete backup archive ({error}).") from error
    if manifest_bytes is None:
        raise BackupError(f"{path} has no manifest: the backup was cut short, or is not a backup.")
    try:
        manifest = json.loads(manifest_bytes)
        files = manifest["files"]
        vendor = manifest["database"]["vendor"]
        ok = manifest["format"] == FORMAT and isinstance(files, dict) and vendor in DATABASE_MEMBERS
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path}: the manifest is unreadable ({error}).") from error
    if not ok:
        raise BackupError(f"{path} is not a {FORMAT} archive.")
    check_signature(path, manifest, trust_unsigned)
    if manifest.get("version") != VERSION:
        raise BackupError(f"{path} is format version {manifest.get('version')}; this code reads {VERSION}.")
    if DATABASE_MEMBERS[vendor] not in files:
        raise BackupError(f"{path}: the manifest lists no database.")
    if missing := sorted(set(files) - set(found)):
        raise BackupError(f"{path} lacks {len(missing)} member(s) its manifest lists, e.g. {missing[0]!r}.")
    if extra := sorted(set(found) - set(files)):
        raise BackupError(f"{path} holds {len(extra)} member(s) not in its manifest, e.g. {extra[0]!r}.")
    for name, expected in files.items():
        if found[name] != expected:
            raise BackupError(f"{path}: {name!r} does not match its checksum; the backup is corrupt.")
    return manifest


def extract_members(archive, files, destinations):
    """Copy the members named in `destinations` ({name: path}) out of the archive in one pass,
    checking each checksum again: the archive may have changed since it was verified."""
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            destination = destinations.get(member.name)
            if destination is None:
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open(destination, "wb") as out:
                stream = HashingReader(tar.extractfile(member))
                while chunk := stream.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if stream.sha256.hexdigest() != files[member.name]["sha256"]:
                raise BackupError(f"{archive}: {member.name!r} changed while being restored.")
            os.utime(destination, (member.mtime, member.mtime))
    if missing := [name for name, path in destinations.items() if not path.exists()]:
        raise BackupError(f"{archive}: {missing[0]!r} disappeared while being restored.")


def fsync_folder(folder):
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def postgres_environment(settings_dict):
    """libpq's variables for pg_dump and pg_restore: the password never appears on a command line
    (where `ps` would show it)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in [("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")]:
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def run_tool(command, env):
    """Run pg_dump or pg_restore; their own error message if they fail."""
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools, of the server's "
            "major version or newer (Debian: postgresql-client)."
        ) from error
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout


def dump_tables(dump, env):
    """The tables a custom-format dump creates (from ``pg_restore --list``, which also proves the
    dump is readable)."""
    listing = run_tool(["pg_restore", "--list", str(dump)], env)
    tables = set()
    for line in listing.splitlines():
        # "215; 1259 16390 TABLE public auth_group postgres"
        parts = line.split(";", 1)[-1].split()
        if len(parts) >= 5 and parts[2] == "TABLE" and parts[3] == "public":
            tables.add(parts[4])
    return tables
