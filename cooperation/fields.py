"""
Model and form fields for the cooperation records' values: a date at the source's precision
(cooperation.partial_dates) and an amount in đồng (cooperation.amounts).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .amounts import InvalidAmount, format_vnd, parse_vnd
from .partial_dates import InvalidPartialDate, PartialDate


class PartialDateFormField(forms.Field):
    """Reads "2011", "6/2008", "26/6/2007" (or ISO) into a PartialDate; shows it as written."""

    widget = forms.TextInput(attrs={"maxlength": 20, "placeholder": "6/2008"})

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.setdefault(
            "help_text", _("A year (2011), a month (6/2008) or a day (26/6/2007): as precise as the source.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return str(value) if isinstance(value, PartialDate) else value

    def to_python(self, value):
        value = value.strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if isinstance(value, PartialDate):
            return value
        try:
            return PartialDate.parse(value)
        except InvalidPartialDate as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error


class PartialDateField(models.Field):
    """
    A PartialDate stored as ISO 8601 at its precision ("2011", "2008-06", "2007-06-26"): such strings
    sort and compare correctly across precisions and against a year (partial_dates.year_bounds).
    """

    description = _("Date at the source's precision")

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def get_internal_type(self):
        return "CharField"  # a varchar(10); its length is checked by parsing, not by a validator

    def from_db_value(self, value, expression, connection):
        return None if value is None or value == "" else PartialDate.parse(value)

    def to_python(self, value):
        if value is None or isinstance(value, PartialDate):
            return value
        if value == "":
            return None
        try:
            return PartialDate.parse(value)
        except InvalidPartialDate as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else value.isoformat()

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


class TypedAmount(int):
    """A whole amount of đồng, with the qualifier its text gave ("trên 5 tỷ": at least)."""

    def __new__(cls, amount, qualifier):
        typed = super().__new__(cls, amount)
        typed.qualifier = qualifier
        return typed


class AmountFormField(forms.CharField):
    """
    Reads "5,2 tỷ", "300 triệu", "3.000.000.000" into đồng, and "trên 5 tỷ" or "khoảng 1 tỷ" with
    the qualifier they write (a TypedAmount); shows "5,2 tỷ" back.
    """

    def __init__(self, **kwargs):
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        kwargs.pop("step_size", None)
        kwargs.setdefault("help_text", _("In đồng, as written: “5,2 tỷ”, “300 triệu” or every digit."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_vnd(value).removesuffix(" đồng")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount, qualifier = parse_vnd(value)
        except InvalidAmount as error:
            raise ValidationError(str(error), code="invalid_amount") from error
        return TypedAmount(amount, qualifier)  # the model reconciles the qualifier (Contribution.clean)


class AmountField(models.PositiveBigIntegerField):
    """A whole amount of đồng: 64 bits (5,2 tỷ is past a 32-bit integer), typed as Vietnamese write it."""

    def to_python(self, value):
        if isinstance(value, TypedAmount):
            return value  # validated as it is: Contribution.clean reads its qualifier
        return super().to_python(value)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": AmountFormField, **kwargs})
