"""
The demo cooperation records: every agreement, partner, activity, contribution, output, place and
date the demo article reports (records.json), modelled as the article gives them — nothing
invented, nothing left out; a vague source stays vague (an "at least" amount, a year-only date, an
unknown end) —, published, translated into English, and linked to the demo article and its
translation. `manage.py load_demo_cooperation` runs it after `load_demo_content`; safe to run again.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale

from news.demo import read_seed
from news.models import CooperationSector, NewsPage

from ..amounts import parse_vnd
from ..models import (
    Activity,
    ActivityLocality,
    ActivityPartner,
    Agreement,
    Contribution,
    NewsPageActivity,
    Output,
    Partner,
)
from ..partial_dates import PartialDate

RECORDS_FILE = Path(__file__).with_name("records.json")


def read_records(path=RECORDS_FILE):
    return json.loads(path.read_text(encoding="utf-8"))


def date(text):
    return None if text is None else PartialDate.parse(text)


def published(record, log, what):
    record.save()
    record.save_revision().publish()
    log(f"Created the {what} {record}.")
    return record


def ensure_partners(data, log):
    partners = {}
    for item in data:
        partner = Partner.objects.filter(locale=Locale.get_default(), name=item["name"]).first()
        if partner is None:
            partner = published(
                Partner(name=item["name"], kind=item["kind"], locality=item["locality"]), log, "partner"
            )
        partners[item["key"]] = partner
    return partners


def ensure_agreements(data, partners, log):
    agreements = []
    for item in data:
        agreement = Agreement.objects.filter(locale=Locale.get_default(), number=item["number"]).first()
        if agreement is None:
            start, end = item["period"]
            agreement = Agreement(
                number=item["number"],
                kind=item["kind"],
                title=item["title"],
                issuer=item["issuer"],
                issued_on=date(item["issued_on"]),
                period_start=start,
                period_end=end,
                summary=item["summary"],
            )
            agreement.parties = [partners[key] for key in item["parties"]]
            published(agreement, log, "agreement")
        agreements.append(agreement)
    return agreements


def contribution(item, partners):
    amount, qualifier = parse_vnd(item["amount"]) if item["amount"] else (None, "exact")
    return Contribution(
        amount_vnd=amount,
        qualifier=qualifier,
        kind=item["kind"],
        contributor=partners[item["contributor"]],
        year=item["year"],
        description=item["description"],
    )


def output(item):
    return Output(quantity=Decimal(str(item["quantity"])), unit=item["unit"], description=item["description"])


def ensure_activities(data, partners, log):
    sectors = {sector.slug: sector for sector in CooperationSector.objects.canonical()}
    activities = []
    for item in data:
        activity = Activity.objects.filter(locale=Locale.get_default(), title=item["title"]).first()
        if activity is None:
            activity = Activity(
                title=item["title"],
                summary=item["summary"],
                start=date(item["start"]),
                end=date(item["end"]),
                status=item["status"],
            )
            activity.sectors = [sectors[slug] for slug in item["sectors"]]
            activity.localities = [ActivityLocality(name=place) for place in item["places"]]
            activity.partner_roles = [
                ActivityPartner(partner=partners[key], role=role) for key, role in item["partners"]
            ]
            activity.contributions = [contribution(part, partners) for part in item["contributions"]]
            activity.outputs = [
                Output(
                    quantity=Decimal(str(part["quantity"])),
                    unit=part["unit"],
                    description=part["description"],
                )
                for part in item["outputs"]
            ]
            published(activity, log, "activity")
        activities.append(activity)
    return activities


def translated(record, english, log, **fields):
    """The published English translation of `record`, made with `fields` when it has none."""
    existing = record.get_translation_or_none(english)
    if existing is not None:
        return existing
    translation = record.copy_for_translation(english)
    for name, value in fields.items():
        setattr(translation, name, value)
    return published(translation, log, "English record")


def link(article, activities, log):
    """The article reports on `activities`: its panel lists them, in a new published revision."""
    linked = set(article.cooperation_activity_links.values_list("activity_id", flat=True))
    if linked >= {activity.pk for activity in activities}:
        return
    article.cooperation_activity_links = [NewsPageActivity(activity=activity) for activity in activities]
    article.save_revision().publish()
    log(f"Linked {len(activities)} activities to the news page {article.title}.")


@transaction.atomic
def load_demo_cooperation(log=lambda message: None):
    """Needs the demo content (`news.demo.load_demo_content`): its sectors and article."""
    records = read_records()
    partners = ensure_partners(records["partners"], log)
    agreements = ensure_agreements(records["agreements"], partners, log)
    activities = ensure_activities(records["activities"], partners, log)
    english = Locale.objects.get_or_create(language_code="en")[0]
    names = {item["key"]: item["en"] for item in records["partners"]}
    for key, partner in partners.items():
        translated(partner, english, log, name=names[key])
    for agreement, item in zip(agreements, records["agreements"], strict=True):
        translated(agreement, english, log, title=item["en"])
    english_activities = [
        translated(activity, english, log, title=item["en"])
        for activity, item in zip(activities, records["activities"], strict=True)
    ]
    article = NewsPage.objects.get(title=read_seed()["article"]["title"])
    link(article, activities, log)
    english_article = article.get_translation_or_none(english)
    if english_article is not None:
        link(english_article.specific, english_activities, log)
