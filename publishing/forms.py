"""
The admin's form for every page type of the project (`base_form_class`): what writing a page
asks of the writer, beyond Wagtail's own form.

- **A free slug while the page is not live.** A new article with the title of an existing one
  (or of the draft autosave just created) gets the title's slug with "-2", "-3", ... instead of an
  error that pauses autosave; the browser's slug field is updated by autosave's field updates.
  A live page's slug is its readers' address: changing it to one in use stays an error.
- **The slug's help text shows this site's address**, the public site's (`FRONTEND_BASE_URL`,
  as the canonical URLs GraphQL gives) and the parent page's path, instead of Wagtail's
  "http://domain.com/blog/[my-slug]/".
- **Errors named when a draft goes further.** Wagtail saves drafts without checking required
  fields (deliberately, since Wagtail 7: a draft may be unfinished); submitting for review,
  publishing and the review actions check everything. Their error message then names each field
  and body block at fault ("Nội dung bài: Khối 2 (Đoạn văn): Trường này là bắt buộc."), where
  Wagtail's only said the page had errors.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import ListBlockValidationError, StreamBlockValidationError, StructBlockValidationError
from wagtail.models import Page

BLOCK_ERRORS = StreamBlockValidationError | StructBlockValidationError | ListBlockValidationError
SLUG_PLACEHOLDER = _("[slug]")


def free_slug(slug, parent_page, page, max_length=255):
    """`slug`, or the first of slug-2, slug-3, ... no sibling of `page` under `parent_page` has."""
    candidate, suffix = slug, 1
    while not Page._slug_is_available(candidate, parent_page, page):
        suffix += 1
        ending = f"-{suffix}"
        candidate = slug[: max_length - len(ending)].rstrip("-") + ending
    return candidate


def slug_address(parent_page):
    """The public address a child of `parent_page` gets, its slug a placeholder; None if it has none."""
    parts = parent_page.get_url_parts() if parent_page is not None else None
    if not parts:
        return None
    path = parts[2] if parts[2].endswith("/") else parts[2] + "/"
    return f"{settings.FRONTEND_BASE_URL.rstrip('/')}{path}{SLUG_PLACEHOLDER}/"


class PageForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        self.picked_slug = None  # (the slug typed, the free one used instead)
        if "slug" in self.fields:
            address = slug_address(parent_page)
            if address:
                self.fields["slug"].help_text = _(
                    "The last part of the page's address, in letters without diacritics, digits and "
                    "hyphens: %(address)s"
                ) % {"address": address}

    def clean(self):
        self.pick_free_slug()
        cleaned_data = super().clean()
        if self._errors and not self.is_deferred_validation:
            self.name_errors()
        return cleaned_data

    def pick_free_slug(self):
        slug = self.cleaned_data.get("slug")
        is_live = self.instance.pk is not None and self.instance.live  # a new page is "live" until saved
        if not slug or is_live or self.parent_page is None:
            return
        max_length = self.instance._meta.get_field("slug").max_length
        free = free_slug(slug, self.parent_page, self.instance, max_length)
        if free != slug:
            self.cleaned_data["slug"] = free
            self.picked_slug = (slug, free)

    def get_field_updates_for_resave(self):
        """After autosave: the slug field shows the free slug the page was saved with."""
        updates = super().get_field_updates_for_resave()
        if self.picked_slug:
            updates.append(("slug", self.picked_slug[1]))
        return updates

    def name_errors(self):
        """Each field's error says what is wrong where (body blocks by number and type), and a
        last line says why a saved draft can still be refused."""
        for name, errors in self._errors.items():
            if name not in self.fields:
                continue
            field = self.fields[name]
            for error in errors.as_data():
                if isinstance(error, BLOCK_ERRORS):
                    value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                    error.message = "; ".join(
                        describe_block_errors(error, getattr(field, "block", None), value)
                    )
        self.add_error(
            None,
            gettext(
                "A draft may be saved unfinished; submitting it for review or publishing it needs "
                "the fields above corrected."
            ),
        )


def messages_of(error):
    return list(error) if isinstance(error, ValidationError) else [str(error)]


def describe_block_errors(error, block, value, where=""):
    """Readable lines for a block's validation error: "Khối 2 (Đoạn văn): Trường này là bắt buộc."."""

    def line(place, message):
        return f"{place}: {message}" if place else message

    def child(key, child_block, child_value, place):
        place = f"{where} – {place}" if where else place
        return describe_block_errors(error.block_errors[key], child_block, child_value, place)

    lines = [line(where, message) for message in getattr(error, "non_block_errors", [])]
    if isinstance(error, StreamBlockValidationError):
        for index in sorted(error.block_errors):
            try:
                stream_child = value[index]
                child_block, child_value = stream_child.block, stream_child.value
            except (IndexError, TypeError, AttributeError):
                child_block, child_value = None, None
            label = child_block.label if child_block is not None else "?"
            place = gettext("Block %(number)s (%(block)s)") % {"number": index + 1, "block": label}
            lines += child(index, child_block, child_value, place)
    elif isinstance(error, StructBlockValidationError):
        for name in error.block_errors:
            child_block = block.child_blocks.get(name) if block is not None else None
            child_value = value.get(name) if hasattr(value, "get") else None
            label = child_block.label if child_block is not None else name
            lines += child(name, child_block, child_value, label)
    elif isinstance(error, ListBlockValidationError):
        for index in sorted(error.block_errors):
            try:
                child_value = value[index]
            except (IndexError, TypeError, KeyError):
                child_value = None
            child_block = getattr(block, "child_block", None)
            place = gettext("item %(number)s") % {"number": index + 1}
            lines += child(index, child_block, child_value, place)
    else:
        lines += [line(where, message) for message in messages_of(error)]
    return lines
