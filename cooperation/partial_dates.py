"""
Dates at the precision a source gives them: "2011" is a year, "6/2008" a month (not 1/6/2008),
"26/6/2007" a day. A `PartialDate` keeps exactly that; it reads the ways Vietnamese documents and
the API write dates, writes ISO 8601 at its own precision ("2011", "2008-06", "2007-06-26") and is
stored as that string, which sorts and compares correctly against other precisions and against a
year: "2008" < "2008-06" < "2008-06-01" < "2009".
"""

import calendar
import re
from dataclasses import dataclass

YEAR, MONTH, DAY = "year", "month", "day"

# What an editor may type: ISO at any precision, or day/month/year as Vietnamese documents write it
# ("6/2008", "tháng 6/2008", "26/6/2007", "26-06-2007", "ngày 26/6/2007", "năm 2011").
ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
WRITTEN = re.compile(
    r"(?:(?:ngày\s+)?(?P<day>\d{1,2})\s*[/.-]\s*)?(?:tháng\s+)?(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"
)
YEAR_WRITTEN = re.compile(r"(?:năm\s+)?(?P<year>\d{4})")

FIRST_YEAR, LAST_YEAR = 1900, 2200  # a year outside these is a typing mistake, not a record


class InvalidPartialDate(ValueError):
    """A text that is not a date at any precision, or names no real day (31/2/2010)."""


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise InvalidPartialDate(f"Năm {self.year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.")
        if self.month is None and self.day is not None:
            raise InvalidPartialDate("Có ngày thì phải có tháng.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidPartialDate(f"Tháng {self.month} không có thật.")
        if self.day is not None and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            raise InvalidPartialDate(f"Ngày {self.day}/{self.month}/{self.year} không có thật.")

    @property
    def precision(self):
        return DAY if self.day is not None else MONTH if self.month is not None else YEAR

    @classmethod
    def parse(cls, text):
        """The date `text` writes, at its precision; InvalidPartialDate when it writes none."""
        text = " ".join(str(text).split()).lower()
        for pattern in (ISO, WRITTEN, YEAR_WRITTEN):
            found = pattern.fullmatch(text)
            if found:
                parts = found.groupdict()
                return cls(
                    int(parts["year"]),
                    int(parts["month"]) if parts.get("month") else None,
                    int(parts["day"]) if parts.get("day") else None,
                )
        raise InvalidPartialDate(
            f"“{text}” không phải là ngày tháng: hãy viết năm (2011), tháng/năm (6/2008) "
            "hoặc ngày/tháng/năm (26/6/2007)."
        )

    def isoformat(self):
        """ISO 8601 at the date's precision: "2011", "2008-06", "2007-06-26"."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self):
        """As Vietnamese documents write it: "2011", "6/2008", "26/6/2007"."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{self.month}/{self.year}"
        return f"{self.day}/{self.month}/{self.year}"


def year_bounds(year):
    """(from, before): stored values v with from <= v < before fall in `year`, at any precision."""
    return f"{year:04d}", f"{year + 1:04d}"
