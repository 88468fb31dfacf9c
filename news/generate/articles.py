"""
One article as plain data, composed from the phrase lists: no database, every choice drawn from
the `rng` given, so a given `random.Random(seed)` always yields the same articles.
"""

import unicodedata
from datetime import datetime, timedelta
from datetime import time as day_time

from django.utils.html import escape

from .phrases import (
    AMOUNTS,
    AUTHORS,
    CREDITS,
    DISTRICT_KEYS,
    DISTRICTS,
    EVENTS,
    FEMALE_NAMES,
    GENERAL_SENTENCES,
    GENERIC_TOPIC,
    HEADINGS,
    INTRO_TEMPLATES,
    MALE_NAMES,
    PARTNER_WEIGHTS,
    PARTNERS,
    PROVINCE,
    QUANTITIES,
    QUOTES,
    SECTOR_TOPICS,
    SURNAMES,
    TAGS,
    TITLE_TEMPLATES,
)

YEARS_BACK = 6  # articles are dated over the last six years


def nfc(text):
    return unicodedata.normalize("NFC", text)


def capitalize(text):
    return text[:1].upper() + text[1:]


def format_number(number):
    """Vietnamese digit grouping: 12000 → "12.000"."""
    return f"{number:,}".replace(",", ".")


def format_amount(millions):
    """300 → "300 triệu đồng", 5200 → "5,2 tỷ đồng", 12000 → "12 tỷ đồng"."""
    if millions < 1000:
        return f"{format_number(millions)} triệu đồng"
    billions = f"{millions / 1000:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{billions} tỷ đồng"


def quantity(rng, kind):
    if kind == "money":
        return format_amount(rng.choice(AMOUNTS))
    low, high, step, unit = QUANTITIES[kind]
    return f"{format_number(rng.randrange(low, high + 1, step))} {unit}"


def person_name(rng, female=None):
    female = rng.random() < 0.5 if female is None else female
    return f"{rng.choice(SURNAMES)} {rng.choice(FEMALE_NAMES if female else MALE_NAMES)}", female


def fill(template, context):
    return template.format_map(context)


def article_context(rng, today, sector_name, topic):
    """Every name and number one article uses, drawn once so the article is consistent."""
    district, district_full = rng.choice(DISTRICT_KEYS)
    commune_full = rng.choice(DISTRICTS[(district, district_full)])
    partner, partner_full, _ = rng.choices(PARTNERS, weights=PARTNER_WEIGHTS)[0]
    facility = rng.choice(topic["facilities"])
    start_year = rng.randrange(today.year - 12, today.year - 1)
    official, _ = person_name(rng, female=False)
    context = {
        "province": PROVINCE,
        "district": district,
        "district_full": district_full,
        "commune_full": commune_full,
        "commune_cap": capitalize(commune_full),
        "partner": partner,
        "partner_full": partner_full,
        "sector_name": sector_name,
        "sector_lower": sector_name.lower(),
        "topic": rng.choice(topic["topics"]),
        "department": topic["department"],
        "institution": rng.choice(topic["institutions"]),
        "facility": facility,
        "facility_cap": capitalize(facility),
        "technique": rng.choice(topic["techniques"]),
        "learner": rng.choice(topic["learners"]),
        "model": rng.choice(topic["models"]),
        "beneficiary": rng.choice(topic["beneficiaries"]),
        "product": rng.choice(topic["products"]),
        "event": rng.choice(EVENTS),
        "amount": format_amount(rng.choice(AMOUNTS)),
        "total": format_amount(rng.choice(AMOUNTS[8:])),
        "year": rng.randrange(today.year - YEARS_BACK, today.year + 1),
        "period": f"{start_year} – {start_year + rng.choice([3, 5])}",
        "n_years": rng.choice([3, 5, 10, 15]),
        "day": rng.randrange(1, 29),
        "month": rng.randrange(1, 13),
        "official": official,
        "official_role": rng.choice(
            [
                f"Phó Chủ tịch UBND {district_full}",
                f"Chủ tịch UBND {district_full}",
                f"Giám đốc {topic['department']} tỉnh {PROVINCE}",
            ]
        ),
        "local_org": rng.choice([f"UBND {district_full}", f"{topic['department']} tỉnh {PROVINCE}"]),
        "partner_org": f"{topic['department']} {partner_full}",
    }
    for kind in QUANTITIES:
        context[kind] = quantity(rng, kind)
    context["goal"] = fill(rng.choice(topic["goals"]), context)
    return context


class Deck:
    """Sentences dealt without repeats until the pool runs out, then reshuffled."""

    def __init__(self, rng, pool):
        self.rng = rng
        self.pool = pool
        self.cards = []

    def deal(self, count):
        count = min(count, len(set(self.pool)))
        dealt = []
        while len(dealt) < count:
            if not self.cards:
                self.cards = self.rng.sample(self.pool, k=len(self.pool))
            card = self.cards.pop()
            if card not in dealt:
                dealt.append(card)
        return dealt


def paragraph(rng, context, deck, bold_amount):
    sentences = deck.deal(rng.randint(2, 3))
    text = escape(" ".join(fill(sentence, context) for sentence in sentences))
    amount = escape(context["amount"])
    if bold_amount and amount in text:
        text = text.replace(amount, f"<b>{amount}</b>", 1)
    return f"<p>{text}</p>"


def key_figures(rng, context, topic):
    specs = rng.sample(topic["figures"], k=rng.randint(min(2, len(topic["figures"])), len(topic["figures"])))
    return {
        "title": "",
        "figures": [{"value": quantity(rng, kind), "label": fill(label, context)} for kind, label in specs],
    }


def quote(rng, context):
    name, female = person_name(rng)
    role = rng.choice(
        [
            f"Phó Chủ tịch UBND {context['district_full']}",
            f"Giám đốc Hợp tác xã ở {context['commune_full']}",
            f"người dân {context['commune_full']}",
            f"Trưởng phòng Nông nghiệp {context['district_full']}",
            f"Bí thư Đảng ủy {context['commune_full']}",
        ]
    )
    title = ("Bà" if female else "Ông") if not role.startswith("người dân") else ("Chị" if female else "Anh")
    return {"text": fill(rng.choice(QUOTES), context), "attribution": f"{title} {name}, {role}"}


def body_blocks(rng, context, topic, sector_names, image):
    """4–12 blocks: a paragraph first, sections under headings, and now and then a quote,
    a key_figures block or (about one page in five) an image."""
    count = rng.randint(4, 12)
    extras = []
    if rng.random() < 0.35:
        extras.append(("quote", quote(rng, context)))
    if rng.random() < 0.4:
        extras.append(("key_figures", key_figures(rng, context, topic)))
    if rng.random() < 0.2:
        caption = fill(rng.choice(topic["scenes"]), context)
        credit = fill(rng.choice(CREDITS), context)
        extras.append(("image", {"image": image, "caption": caption, "credit": credit}))
    deck = Deck(rng, topic["sentences"] + GENERAL_SENTENCES)
    headings = list(sector_names) + rng.sample(HEADINGS, k=len(HEADINGS))
    core = [("paragraph", paragraph(rng, context, deck, rng.random() < 0.3))]
    while len(core) < count - len(extras):
        room = count - len(extras) - len(core)
        if room >= 2 and core[-1][0] == "paragraph" and rng.random() < 0.4 and headings:
            core.append(("heading", headings.pop(0)))
        core.append(("paragraph", paragraph(rng, context, deck, rng.random() < 0.3)))
    for block in extras:
        core.insert(rng.randint(1, len(core)), block)
    return core


def article_data(rng, today, sectors, image=None):
    """
    One article as plain data: `sectors` is a list of (slug, name) pairs to choose from, `image`
    goes into image blocks as it is. Deterministic for a given state of `rng` and `today`.
    """
    chosen = rng.sample(sectors, k=min(len(sectors), rng.choices([1, 2, 3], weights=[5, 3, 2])[0]))
    topic = SECTOR_TOPICS.get(chosen[0][0], GENERIC_TOPIC)
    context = article_context(rng, today, chosen[0][1], topic)
    author = rng.choice(AUTHORS)
    context["author"] = author
    date = today - timedelta(days=rng.randrange(YEARS_BACK * 365 + 2))
    published_at = datetime.combine(date, day_time(rng.randrange(6, 22), rng.randrange(60)))
    title = capitalize(fill(rng.choice(TITLE_TEMPLATES), context))
    intro = fill(rng.choice(INTRO_TEMPLATES), context)
    body = body_blocks(rng, context, topic, [name for _, name in chosen], image)
    has_hero = rng.random() < 0.5
    hero_caption = fill(rng.choice(topic["scenes"]), context) if has_hero else ""
    tags = rng.sample(TAGS, k=rng.choice([0, 1, 1, 2, 2, 3]))
    return {
        "title": nfc(title),
        "intro": nfc(intro),
        "author": author,
        "date": date,
        "published_at": published_at,
        "sectors": [slug for slug, _ in chosen],
        "tags": tags,
        "has_hero": has_hero,
        "hero_caption": nfc(hero_caption),
        "body": [(kind, nfc_value(value)) for kind, value in body],
    }


def nfc_value(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {key: nfc_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nfc_value(item) for item in value]
    return value
