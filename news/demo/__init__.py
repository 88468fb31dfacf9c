"""
Demo content: the home page, the "Tin tức" section, the eight cooperation sectors and the
seed article ("Tăng cường hợp tác phát triển các lĩnh vực phù hợp thế mạnh địa phương"),
read from `seed_article.json` beside this file; and their English edition (home page, "News",
the sectors' English names, a faithful translation of the article), from `seed_article.en.json`.
Loading is idempotent: what exists (by slug, or as a translation) is left exactly as editors may
have changed it.
"""

import io
import json
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from api.languages import path_in_site
from home.models import HomePage

from ..models import CooperationSector, NewsIndexPage, NewsPage

SEED_FILE = Path(__file__).with_name("seed_article.json")
ENGLISH_SEED_FILE = Path(__file__).with_name("seed_article.en.json")
PLACEHOLDER_TITLE_PREFIX = "Ảnh minh họa tạm"


def read_seed(path=SEED_FILE):
    with path.open(encoding="utf-8") as seed:
        return json.load(seed)


# Pillow's built-in font has no Vietnamese letters; these (Debian's fonts-dejavu-core, most Linux
# desktops, macOS) do.
VIETNAMESE_FONTS = ["DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"]


def vietnamese_font(size):
    for name in VIETNAMESE_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def placeholder_image(caption):
    """A generated stand-in for the article's photo, labelled as such in the image itself."""
    width, height = 1600, 900
    picture = PILImage.new("RGB", (width, height), "#d9e2ec")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([24, 24, width - 24, height - 24], outline="#7b8794", width=6)
    draw.line([24, 24, width - 24, height - 24], fill="#9aa5b1", width=3)
    draw.line([24, height - 24, width - 24, 24], fill="#9aa5b1", width=3)
    for text, size, y in [("ẢNH MINH HỌA", 110, 330), ("nội dung mẫu – không phải ảnh thật", 56, 480)]:
        font = vietnamese_font(size)
        if font is None:  # no font with Vietnamese letters here: the crossed frame alone says it
            break
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        x = (width - (right - left)) // 2
        draw.rectangle([x - 20, y - 10, x + right - left + 20, y + bottom - top + 20], fill="#d9e2ec")
        draw.text((x, y), text, font=font, fill="#323f4b")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return get_image_model().objects.create(
        title=f"{PLACEHOLDER_TITLE_PREFIX}: {caption}"[:255],
        description=caption,
        file=ImageFile(buffer, name="anh-minh-hoa-tam.jpg"),
    )


def site_path(page):
    """The address readers find `page` at on the demo site ("/tin-tuc/...", "/en/news/..."), read
    again from the database: publishing a translation's revision may have changed its slug."""
    page = Page.objects.select_related("locale").get(pk=page.pk)
    root = page.get_ancestors(inclusive=True).get(depth=2)  # the home page of its language
    return path_in_site(page.url_path, root.url_path, page.locale.language_code)


def ensure_home_page(log):
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node()
    # Wagtail's migrations create a plain "Welcome to your new Wagtail site!" page; it goes.
    for welcome in root.get_children().filter(
        content_type__app_label="wagtailcore", content_type__model="page", numchild=0
    ):
        welcome.delete()
    home = root.get_children().type(HomePage).first()
    if home is None:
        home = HomePage(
            title="Trang chủ",
            slug="trang-chu",
            intro="Tin tức về hợp tác phát triển giữa các địa phương.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        log("Created the home page.")
    home = home.specific
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )  # fmt: skip
    else:
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
    return home


def ensure_sectors(seed, log):
    sectors = {}
    for data in seed["sectors"]:
        sector, created = CooperationSector.objects.canonical().get_or_create(
            slug=data["slug"],
            defaults={k: data[k] for k in ("name", "description", "sort_order")},
        )
        if created:
            log(f"Created the sector {sector.name}.")
        sectors[sector.slug] = sector
    return sectors


def ensure_news_index(seed, home, log):
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(
            title=seed["index"]["title"], slug=seed["index"]["slug"], intro=seed["index"]["intro"]
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        log(f"Created the news section {index.title}.")
    return index


def body_from_seed(blocks, image):
    body = []
    for block in blocks:
        if block["type"] == "image":
            body.append(("image", {**block["value"], "image": image}))
        elif block["type"] == "key_figures":
            body.append(("key_figures", {"title": "", "figures": block["value"]}))
        else:
            body.append((block["type"], block["value"]))
    return body


def ensure_article(seed, index, sectors, log):
    data = seed["article"]
    existing = NewsPage.objects.child_of(index).filter(title=data["title"]).first()
    if existing is not None:
        return existing
    caption = next(block["value"]["caption"] for block in data["body"] if block["type"] == "image")
    article = NewsPage(
        title=data["title"],
        author=data["author"],
        intro=data["intro"],
        body=body_from_seed(data["body"], placeholder_image(caption)),
    )
    article.sectors = [sectors[slug] for slug in data["sectors"]]
    article.tags.add(*data["tags"])
    index.add_child(instance=article)
    article.save_revision().publish()
    log(f"Created the news page {article.title} at {site_path(article)}.")
    return article


def translation_of(original, locale, log, **fields):
    """The published translation of `original` in `locale`, made from `fields` if it has none."""
    existing = original.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = original.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    log(f"Created the English page {translation.title} at {site_path(translation)}.")
    return translation


def ensure_english_edition(seed, home, index, sectors, article, log):
    """The English home page, section, sector names and article, translated from the Vietnamese."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    for slug, data in seed["sectors"].items():
        sector = sectors[slug]
        if sector.get_translation_or_none(english) is None:
            translation = sector.copy_for_translation(english)
            translation.name, translation.description = data["name"], data["description"]
            translation.save()
            log(f"Created the sector {translation.name}.")
    home_en = translation_of(home, english, log, **seed["home"])
    index_en = translation_of(index, english, log, **seed["index"])
    data = seed["article"]
    if article.get_translation_or_none(english) is None:
        vietnamese_image = next(block.value["image"] for block in article.body if block.block_type == "image")
        translation = translation_of(
            article,
            english,
            log,
            title=data["title"],
            slug=data["slug"],
            intro=data["intro"],
            body=body_from_seed(data["body"], vietnamese_image),
        )
        translation.tags.set(data["tags"])
        translation.save_revision().publish()
    return home_en, index_en


@transaction.atomic
def load_demo_content(log=lambda message: None):
    seed = read_seed()
    home = ensure_home_page(log)
    sectors = ensure_sectors(seed, log)
    index = ensure_news_index(seed, home, log)
    article = ensure_article(seed, index, sectors, log)
    ensure_english_edition(read_seed(ENGLISH_SEED_FILE), home, index, sectors, article, log)
