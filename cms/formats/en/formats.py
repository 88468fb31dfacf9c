"""English admin users see the same day-first date pickers: read dates back day first too."""

from django.conf.locale.en.formats import *  # noqa: F403

from cms.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS, TIME_INPUT_FORMATS  # noqa: F401
