"""
The cooperation itself as data (docs/cooperation.md): who works together (Partner), under which
document (Agreement), doing what, where and when, with what each side gave and what came of it
(Activity, with its partners and roles, places, contributions and outputs). Each is a snippet with
drafts, revisions, locking and the newsroom's review workflow, translatable like the sectors (an
English record is a translation sharing the Vietnamese one's slug). News pages link the activities
they report on (NewsPageActivity).
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from publishing.text import AccentInsensitiveAutocompleteField, AccentInsensitiveSearchField, ascii_slug

from .amounts import format_vnd
from .fields import AmountField, PartialDateField


class Record(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """What the three kinds of record share: a slug kept across languages, drafts and review."""

    slug = models.SlugField(
        _("slug"),
        max_length=255,
        blank=True,
        help_text=_("Used in addresses and filters; made from the name when left empty. ASCII only."),
    )

    # Wagtail's revisions and workflow states of the record (deleted with it).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(app_label)s_%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(app_label)s_%(class)s",
        for_concrete_model=False,
    )

    class Meta(TranslatableMixin.Meta):
        abstract = True

    @property
    def revisions(self):
        return self._revisions

    def slug_source(self):
        raise NotImplementedError

    def full_clean(self, *args, **kwargs):
        self.make_slug()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.make_slug()
        super().save(*args, **kwargs)

    def make_slug(self):
        """An empty slug made from the name, with -2, -3, ... when another record of its language has it."""
        if self.slug:
            return
        if self.locale_id is None:
            self.locale = self.get_default_locale()  # (what Wagtail would set on saving)
        base = ascii_slug(self.slug_source(), max_length=240) or type(self).__name__.lower()
        taken = set(
            type(self)
            .objects.filter(locale_id=self.locale_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        self.slug = slug


class Partner(Record):
    """A party to the cooperation: a province, a department, an institute, a company, a bank, a school."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province or city")
        DEPARTMENT = "department", _("Department or agency")
        INSTITUTE = "institute", _("Institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        BANK = "bank", _("Bank")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    name = models.CharField(
        _("name"), max_length=255, help_text=_("As written, e.g. “Viện Nghiên cứu rau quả”.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    locality = models.CharField(
        _("locality"),
        max_length=255,
        blank=True,
        help_text=_("The province or city it belongs to, e.g. “Hà Nội”."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind"), FieldPanel("locality")]

    search_fields = [
        AccentInsensitiveSearchField("name"),
        AccentInsensitiveSearchField("locality"),
        AccentInsensitiveAutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("locale_id"),
    ]

    class Meta(Record.Meta):
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="partner_slug_per_locale")]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    def slug_source(self):
        return self.name


class Agreement(Record):
    """A document the cooperation rests on: an agreement, a notice, a plan, a programme, a decision."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        NOTICE = "notice", _("Notice")
        PLAN = "plan", _("Plan")
        PROGRAMME = "programme", _("Programme")
        DECISION = "decision", _("Decision")
        OTHER = "other", _("Other")

    number = models.CharField(
        _("number"), max_length=100, help_text=_("As written on the document, e.g. “196/HT-UBND/HN-BK”.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(
        _("issued by"), max_length=255, blank=True, help_text=_("E.g. “UBND thành phố Hà Nội”.")
    )
    issued_on = PartialDateField(_("issued on"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("period from (year)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("period to (year)"), null=True, blank=True)
    parties = ParentalManyToManyField(
        Partner, blank=True, related_name="agreements", verbose_name=_("parties")
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("The text of the document, scanned: shown under the documents' own visibility rules."),
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("kind")]),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("issuer"), FieldPanel("issued_on")]),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Period")),
        FieldPanel("parties"),
        FieldPanel("summary"),
        FieldPanel("document"),
    ]

    search_fields = [
        AccentInsensitiveSearchField("title"),
        AccentInsensitiveSearchField("issuer"),
        index.SearchField("number"),
        index.AutocompleteField("number"),
        AccentInsensitiveAutocompleteField("title"),
        AccentInsensitiveSearchField("summary"),
        index.FilterField("kind"),
        index.FilterField("locale_id"),
    ]

    class Meta(Record.Meta):
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="agreement_slug_per_locale"),
            models.UniqueConstraint(fields=["number", "locale"], name="agreement_number_per_locale"),
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.number} – {self.title}"

    def slug_source(self):
        return self.number.replace("/", "-")  # "196/HT-UBND/HN-BK" → 196-ht-ubnd-hn-bk

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class Activity(Record):
    """Something done together: a model farm, a school built, a training course, a trade fair."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    sectors = ParentalManyToManyField(
        "news.CooperationSector", blank=True, related_name="activities", verbose_name=_("sectors")
    )
    agreement = models.ForeignKey(
        Agreement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("agreement"),
        help_text=_("The document it implements, when the source names one."),
    )
    start = PartialDateField(_("start"), null=True, blank=True)
    end = PartialDateField(
        _("end"), null=True, blank=True, help_text=_("Leave empty when the source does not say.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.COMPLETED)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("sectors"),
        FieldPanel("agreement"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("status")], heading=_("When")),
        InlinePanel("localities", label=_("Places"), heading=_("Places")),
        InlinePanel("partner_roles", label=_("Partner"), heading=_("Partners and their roles")),
        InlinePanel("contributions", label=_("Contribution"), heading=_("Contributions")),
        InlinePanel("outputs", label=_("Output"), heading=_("Outputs")),
    ]

    search_fields = [
        AccentInsensitiveSearchField("title"),
        AccentInsensitiveSearchField("summary"),
        AccentInsensitiveAutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("locale_id"),
    ]

    class Meta(Record.Meta):
        ordering = ["-start", "title"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="activity_slug_per_locale")]
        verbose_name = _("cooperation activity")
        verbose_name_plural = _("cooperation activities")

    def __str__(self):
        return self.title

    def slug_source(self):
        return self.title

    def clean(self):
        super().clean()
        if (
            self.start
            and self.end
            and self.end.isoformat() < self.start.isoformat()[: len(self.end.isoformat())]
        ):
            # ("2008" ends after "2008-06" starts: some time that year.)
            raise ValidationError({"end": _("The activity cannot end before it starts.")})


class ActivityLocality(Orderable):
    """A place the activity happens, as the source writes it: “huyện Ba Bể”, “thị trấn Chợ Rã”."""

    activity = ParentalKey(Activity, on_delete=models.CASCADE, related_name="localities")
    name = models.CharField(_("place"), max_length=255, help_text=_("As written, e.g. “huyện Ba Bể”."))

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name


class ActivityPartner(Orderable):
    """A partner of the activity and what it did in it."""

    class Role(models.TextChoices):
        FUNDER = "funder", _("Funder")
        IMPLEMENTER = "implementer", _("Implementer")
        BENEFICIARY = "beneficiary", _("Beneficiary")
        PARTNER = "partner", _("Partner")

    activity = ParentalKey(Activity, on_delete=models.CASCADE, related_name="partner_roles")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="roles", verbose_name=_("partner")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    panels = [FieldRowPanel([FieldPanel("partner"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("partner's role")
        verbose_name_plural = _("partners' roles")


class Contribution(Orderable):
    """What one side gave: an amount in đồng (exact, at least or about), in kind, or training."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        AT_LEAST = "at_least", _("at least")
        ABOUT = "about", _("about")

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        IN_KIND = "in_kind", _("In kind")
        TRAINING = "training", _("Training")

    activity = ParentalKey(Activity, on_delete=models.CASCADE, related_name="contributions")
    amount_vnd = AmountField(_("amount (đồng)"), null=True, blank=True)
    qualifier = models.CharField(
        _("the amount is"), max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONEY)
    contributor = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions",
        verbose_name=_("contributed by"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.CharField(
        _("what for"), max_length=500, blank=True, help_text=_("E.g. “mua sách và đồ dùng học tập”.")
    )

    panels = [
        FieldRowPanel([FieldPanel("amount_vnd"), FieldPanel("qualifier"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("contributor"), FieldPanel("year")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self):
        return self.amount_display() or self.description

    def amount_display(self):
        """“5,2 tỷ đồng”, “trên 5 tỷ đồng”; empty for a contribution without an amount."""
        return "" if self.amount_vnd is None else format_vnd(self.amount_vnd, self.qualifier)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.MONEY and self.amount_vnd is None:
            raise ValidationError({"amount_vnd": _("A contribution of money needs its amount.")})
        # "trên 5 tỷ" typed as the amount says "at least" even if the qualifier was left at exactly;
        # typed against another qualifier chosen, it is refused rather than one of them lost.
        typed = getattr(self.amount_vnd, "qualifier", self.Qualifier.EXACT)
        if typed != self.Qualifier.EXACT:
            if self.qualifier == self.Qualifier.EXACT:
                self.qualifier = typed
            elif self.qualifier != typed:
                raise ValidationError(
                    {
                        "qualifier": _(
                            "The amount as typed says “%(typed)s”: choose that, or type the number alone."
                        )
                        % {"typed": self.Qualifier(typed).label}
                    }
                )


class Output(Orderable):
    """What came of the activity: “10 ha”, “300 lượt người”, “14 quy trình”."""

    activity = ParentalKey(Activity, on_delete=models.CASCADE, related_name="outputs")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=100, help_text=_("E.g. “ha”, “lượt người”, “quy trình”."))
    description = models.CharField(_("what"), max_length=500, blank=True)

    panels = [FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self):
        quantity = f"{self.quantity.normalize():f}".replace(".", ",")
        return f"{quantity} {self.unit}"


class NewsPageActivity(Orderable):
    """An activity a news page reports on (the page's panel “Hoạt động hợp tác trong bài”)."""

    page = ParentalKey("news.NewsPage", on_delete=models.CASCADE, related_name="cooperation_activity_links")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="news_links", verbose_name=_("activity")
    )

    panels = [FieldPanel("activity")]

    class Meta(Orderable.Meta):
        verbose_name = _("activity reported on")
        verbose_name_plural = _("activities reported on")
        constraints = [models.UniqueConstraint(fields=["page", "activity"], name="news_activity_once")]
