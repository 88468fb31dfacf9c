"""Keep the project's Vietnamese catalogs for the admin in step with the installed Wagtail and Django.

Wagtail 8.0.1 ships little of its admin in Vietnamese (and Django's Vietnamese predates Django 5),
so the project carries complete catalogs of its own under
``locale/<wagtail|django>/<catalog>/vi/LC_MESSAGES/`` (each folder is one entry of ``LOCALE_PATHS``,
so Django prefers them to the packages' own; docs/translation.md). Two actions:

``update``
    Rebuild every catalog from the package's English template (the list of messages it uses
    today), keeping our translations, taking the package's own Vietnamese where we have none yet,
    and dropping messages no longer used. Run it after upgrading Wagtail or Django, translate what
    it reports as missing, then ``make messages``.
``coverage``
    Print, for each catalog, how much the package ships in Vietnamese and how much ours covers, and
    fail when one of ours is below the threshold (CI runs it).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import django
import taggit
import wagtail
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

WAGTAIL_DIR = Path(wagtail.__file__).resolve().parent
DJANGO_DIR = Path(django.__file__).resolve().parent
PACKAGES = {"wagtail": WAGTAIL_DIR, "django": DJANGO_DIR, "taggit": Path(taggit.__file__).resolve().parent}
LOCALE_ROOT = Path(settings.BASE_DIR) / "locale"
LANGUAGE = "vi"
DEFAULT_THRESHOLD = 98.0
HEADER = {
    "Project-Id-Version": "newsroom-cms",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "Newsroom CMS developers",
    "Language-Team": "Vietnamese",
    "Language": LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}
VERSIONS = f"Wagtail {wagtail.__version__}, Django {django.__version__}"


@dataclass(frozen=True)
class Catalog:
    """One Wagtail (or Django) catalog an editor meets, and where our translation of it lives."""

    name: str  # folder under locale/<project>/
    package: str  # folder under the project's package holding its locale/ ("" for the top one)
    domain: str = "django"
    project: str = "wagtail"

    @property
    def upstream_locale(self):
        root = PACKAGES[self.project]
        return root / self.package / "locale" if self.package else root / "locale"

    def upstream_po(self, language):
        return self.upstream_locale / language / "LC_MESSAGES" / f"{self.domain}.po"

    @property
    def path(self):
        return LOCALE_ROOT / self.project / self.name / LANGUAGE / "LC_MESSAGES" / f"{self.domain}.po"

    @property
    def label(self):
        return f"{self.project}/{self.name}/{self.domain}"


CATALOGS = [
    Catalog("admin", "admin"),
    Catalog("admin", "admin", "djangojs"),
    Catalog("core", ""),
    Catalog("images", "images"),
    Catalog("documents", "documents"),
    Catalog("snippets", "snippets"),
    Catalog("users", "users"),
    Catalog("redirects", "contrib/redirects"),
    Catalog("embeds", "embeds"),
    Catalog("sites", "sites"),
    Catalog("search", "search"),
    # Translating pages and sectors into English: the Locales screen, "Dịch" (Translate).
    Catalog("locales", "locales"),
    Catalog("simple_translation", "contrib/simple_translation"),
    # Django's own Vietnamese predates Django 5: form errors, "3 phút trước", the CSRF page.
    Catalog("core", "conf", project="django"),
    Catalog("auth", "contrib/auth", project="django"),
    Catalog("contenttypes", "contrib/contenttypes", project="django"),
    # django-taggit: the tags field's help text in the page editor.
    Catalog("core", "", project="taggit"),
]


def _polib():
    try:
        import polib
    except ImportError as error:  # polib is a development requirement
        raise CommandError("polib is missing: run 'make install' (requirements-dev.txt).") from error
    return polib


def translated(entry):
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def percent(done, total):
    return 100.0 * done / total if total else 100.0


class Command(BaseCommand):
    help = "Update our Vietnamese catalogs for the admin, or report (and check) their coverage."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "coverage"])
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"coverage: fail below this percentage (default {DEFAULT_THRESHOLD}).",
        )

    def handle(self, *args, action, threshold, **options):
        polib = _polib()
        if action == "update":
            self.update(polib)
        else:
            self.coverage(polib, threshold)

    def update(self, polib):
        revised = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
        for catalog in CATALOGS:
            template = polib.pofile(str(catalog.upstream_po("en")))
            theirs = self._index(polib, catalog.upstream_po(LANGUAGE))
            ours = self._index(polib, catalog.path)
            result = polib.POFile(wrapwidth=0)
            result.metadata = {
                **HEADER,
                "Project-Id-Version": f"newsroom-cms ({VERSIONS})",
                "PO-Revision-Date": revised,
            }
            missing = 0
            for source in template:
                if source.obsolete:
                    continue
                key = (source.msgctxt, source.msgid)
                entry = polib.POEntry(
                    msgid=source.msgid,
                    msgctxt=source.msgctxt,
                    msgid_plural=source.msgid_plural,
                    occurrences=source.occurrences,
                    comment=source.comment,
                    flags=[flag for flag in source.flags if flag != "fuzzy"],
                )
                # Ours when we have translated it, else the package's own Vietnamese, if any.
                previous = next(
                    (entry for entry in (ours.get(key), theirs.get(key)) if entry and translated(entry)), None
                )
                if previous is not None:
                    if source.msgid_plural:
                        entry.msgstr_plural = {0: previous.msgstr_plural.get(0) or previous.msgstr}
                    else:
                        entry.msgstr = previous.msgstr
                else:
                    if source.msgid_plural:
                        entry.msgstr_plural = {0: ""}
                    missing += 1
                result.append(entry)
            catalog.path.parent.mkdir(parents=True, exist_ok=True)
            result.save(str(catalog.path))
            self.stdout.write(f"{catalog.label:<28} {len(result):>4} messages, {missing:>4} to translate")

    def coverage(self, polib, threshold):
        self.stdout.write(
            f"{'catalog':<28} {'messages':>8} {'shipped vi':>11} {'ours':>11}   (threshold {threshold:g} %)"
        )
        failures = []
        total = theirs_total = ours_total = 0
        for catalog in CATALOGS:
            template = [entry for entry in polib.pofile(str(catalog.upstream_po("en"))) if not entry.obsolete]
            keys = {(entry.msgctxt, entry.msgid) for entry in template}
            theirs = self._index(polib, catalog.upstream_po(LANGUAGE))
            ours = self._index(polib, catalog.path)
            theirs_done = sum(1 for key in keys if key in theirs and translated(theirs[key]))
            ours_done = sum(1 for key in keys if key in ours and translated(ours[key]))
            total, theirs_total, ours_total = (
                total + len(keys),
                theirs_total + theirs_done,
                ours_total + ours_done,
            )
            coverage = percent(ours_done, len(keys))
            theirs_coverage = percent(theirs_done, len(keys))
            self.stdout.write(
                f"{catalog.label:<28} {len(keys):>8} {theirs_coverage:>10.1f}% {coverage:>10.1f}%"
            )
            if coverage < threshold:
                failures.append(f"{catalog.label} ({coverage:.1f} %)")
        theirs_coverage, coverage = percent(theirs_total, total), percent(ours_total, total)
        self.stdout.write(f"{'all':<28} {total:>8} {theirs_coverage:>10.1f}% {coverage:>10.1f}%")
        if failures:
            raise CommandError(
                f"Below {threshold:g} %: {', '.join(failures)}. "
                "Run 'manage.py admin_catalogs update', translate, then 'make messages'."
            )

    @staticmethod
    def _index(polib, path):
        if not Path(path).exists():
            return {}
        return {
            (entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(path)) if not entry.obsolete
        }
