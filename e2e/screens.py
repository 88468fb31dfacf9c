"""
What the screen shows, read as a reader of it reads it, and the English in it.

check_screen("name") (a fixture, registered in conftest.py) photographs the step, reads the
rendered text of every visible frame (`innerText`, which includes text kept for screen readers)
and the `title`, `aria-label` and `placeholder` of every visible element, writes them beside the
screenshot (e2e/artifacts/<test>/NN-<screen>.txt), and remembers every common English admin
word found, as whole words, case-sensitively. A test ends with
`assert not check_screen.found, english_report(check_screen.found)`: every screen is checked
before it fails, and the failure lists every English text with its screen, frame and element.

The editors' guide (docs/huong-dan-bien-tap.md) shows some of these screens: a test names them
(`check_screen("reporter-sees-comment", guide="review/reporter-sees-comment")`), and a run with
`E2E_GUIDE_IMAGES=1` copies them to docs/images/ (commit them with the guide).
"""

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

# Common English of the Wagtail admin, Draftail and the date picker. Matched case-sensitively as
# whole words (a letter, digit or underscore on neither side), so "Add" never matches inside a
# Vietnamese word, and against each text line or attribute value by itself. Nothing is exempt.
ENGLISH = [
    # The editor's actions and the footer
    "Save draft",
    "Publish",
    "Unpublish",
    "Preview",
    "Schedule",
    "Schedule to publish",
    "Save schedule",
    "Set schedule",
    "Edit schedule",
    "Set publishing schedule",
    "Go-live",
    "Go-live date/time",
    "Expiry",
    "Expiry date/time",
    "Saving…",
    "Publishing…",
    "Loading",
    "Refresh",
    "Actions",
    "More actions",
    # Translating (simple translation, locales)
    "Translate",
    "Translate page",
    "Translate this page",
    "Locales",
    "Submit",
    "Include subtree",
    # StreamField
    "Add",
    "Insert a block",
    "Search options…",
    "Delete",
    "Duplicate",
    "Move up",
    "Move down",
    "Collapse",
    "Expand",
    "Toggle section",
    # Draftail
    "Bold",
    "Italic",
    "Link",
    "Heading",
    "Heading 2",
    "Heading 3",
    "Bulleted list",
    "Numbered list",
    "Horizontal line",
    "Line break",
    "Undo",
    "Redo",
    "Pin toolbar",
    "Unpin toolbar",
    "Write something or type",
    "characters",
    # Choosers and dialogs
    "Choose",
    "Choose an image",
    "Cancel",
    "Close",
    "Clear",
    # The status side panel and the page listing
    "Status",
    "Live",
    "Draft",
    "Scheduled",
    "In Moderation",
    "View history",
    "Comments",
    "Add a comment",
    "Settings",
    "Content",
    "Promote",
    "Checks",
    "Title",
    "Slug",
    # Menus
    "Search",
    "Pages",
    "Images",
    "Documents",
    "Snippets",
    "Reports",
    "Help",
    "Dashboard",
    "Account",
    "Log out",
    # Relative times
    "minutes ago",
    "minute ago",
    "hours ago",
    "hour ago",
    "ago",
    "just now",
    # The date picker, its names in full: "May", "Thu", "Mon" and "Sun" are also Vietnamese words
    # ("May mắn", "Thu gọn": "Collapse"), so they cannot tell English from Vietnamese.
    "Today",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    # Reports and settings: raw values, names Django or Wagtail wrote in English, third-party models.
    "True",
    "False",
    "None",
    "Root",
    "Page",
    "Port",
    "Site name",
    "Root page",
    "Welcome to your new Wagtail site",
    "PLACEHOLDER",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Access attempt",
    "Access attempts",
    "TOTP device",
    "TOTP devices",
    "Moderators",
    "Editors",
    "Bài Tin",  # title-cased by a template: Vietnamese capitalises the first word only
    "Trang Chủ",
    "news.newspage",
    "home.homepage",
]
# Not inside a name either: "Port" in "America/Port-au-Prince" (a time zone) is not English.
ENGLISH_PATTERN = re.compile(
    r"(?<![\w/-])("
    + "|".join(re.escape(phrase) for phrase in sorted(ENGLISH, key=len, reverse=True))
    + r")(?![\w-])"
)

# What a reader of one document reads: its rendered text by line (innerText: what CSS shows, text
# kept for screen readers included), and the title, aria-label and placeholder of every element
# that is rendered (not display: none, not visibility: hidden, not in a closed <dialog>).
READABLE_TEXT = """() => {
    const describe = (element) => {
        let name = element.tagName.toLowerCase();
        if (element.id) name += "#" + element.id;
        for (const attribute of ["name", "data-side-panel-toggle", "data-controller", "role"]) {
            const value = element.getAttribute(attribute);
            if (value !== null) name += `[${attribute}="${value}"]`;
        }
        if (element.classList.length) name += "." + [...element.classList].slice(0, 3).join(".");
        return name;
    };
    const items = [];
    for (const line of (document.body ? document.body.innerText : "").split("\\n")) {
        if (line.trim()) items.push({kind: "text", text: line.trim(), element: ""});
    }
    for (const element of document.querySelectorAll("[title], [aria-label], [placeholder]")) {
        if (!element.checkVisibility({visibilityProperty: true})) continue;
        for (const kind of ["title", "aria-label", "placeholder"]) {
            const value = (element.getAttribute(kind) || "").trim();
            if (value) items.push({kind, text: value, element: describe(element)});
        }
    }
    return items;
}"""

# No short transition or animation under way (a fade, a slide): the long or endless ones, such as
# the help badge's ping (5 × 5 s) or a spinner, aside.
GUIDE_IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"

SETTLED = """() => document.getAnimations().every((animation) => {
    const timing = animation.effect.getComputedTiming();
    return animation.playState !== "running" || !(timing.endTime <= 2000);
})"""


def wait_until(condition, what, timeout=15.0):
    """Polls `condition` for as long as a Playwright action waits (conftest.ACTION_TIMEOUT_MS)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(0.1)


def open_side_panel(page, name):
    """Opens a side panel of the editor (the last one open is reopened with the page: no toggling)."""
    panel = page.locator(f'[data-side-panel="{name}"]')
    if not panel.is_visible():
        page.locator(f'button[data-side-panel-toggle="{name}"]').click()
    expect(panel).to_be_visible()
    return panel


def is_detached_error(error):
    message = str(error).lower()
    return "detached" in message or "destroyed" in message


def readable_texts(page, attempts=5):
    """What the screen shows, frame by frame: the page and every iframe that is rendered.

    The preview panel replaces its iframe when the page is saved or edited; a frame replaced while
    being read is read again with the rest of the screen (never skipped: it might show English).
    """
    for attempt in range(attempts):
        try:
            return read_frames(page)
        except PlaywrightError as error:
            if not is_detached_error(error) or attempt == attempts - 1:
                raise
            page.wait_for_timeout(200)
            page.wait_for_function(SETTLED)


def read_frames(page):
    texts = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        if frame != page.main_frame:
            if not frame.frame_element().is_visible():
                continue
            where = f"iframe {frame.url.split('?')[0]}"
        else:
            where = "page"
        texts.extend({**item, "frame": where} for item in frame.evaluate(READABLE_TEXT))
    return texts


@pytest.fixture
def check_screen(page, shot):
    """check_screen("name") screenshots the step, reads it and remembers any English it shows."""
    found = {}

    def check(name, guide=None):
        # Menus and tooltips fade in: read and photograph them once they are there.
        page.wait_for_function(SETTLED)
        path = shot(name)
        if guide and os.environ.get("E2E_GUIDE_IMAGES"):
            target = GUIDE_IMAGES / f"{guide}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        texts = readable_texts(page)
        path.with_suffix(".txt").write_text(
            "\n".join(json.dumps(item, ensure_ascii=False) for item in texts) + "\n", encoding="utf-8"
        )
        english = [
            {**item, "english": match}
            for item in texts
            for match in dict.fromkeys(ENGLISH_PATTERN.findall(item["text"]))
        ]
        if english:
            found[f"{name} ({path.name})"] = english
        return texts

    check.found = found
    return check


def english_report(found):
    lines = []
    for screen, items in found.items():
        lines.append(f"{screen}:")
        seen = set()
        for item in items:
            key = (item["english"], item["kind"], item["text"], item["element"], item["frame"])
            if key in seen:
                continue
            seen.add(key)
            where = f"{item['kind']} of {item['element']}" if item["element"] else item["kind"]
            lines.append(f"  {item['english']!r} in {item['text']!r} ({where}, {item['frame']})")
    return "\n".join(lines)
