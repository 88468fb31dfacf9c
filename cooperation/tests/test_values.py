"""Dates at the source's precision and amounts in đồng (cooperation.partial_dates, cooperation.amounts)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cooperation.amounts import ABOUT, AT_LEAST, EXACT, LARGEST, InvalidAmount, format_vnd, parse_vnd
from cooperation.partial_dates import DAY, MONTH, YEAR, InvalidPartialDate, PartialDate


@pytest.mark.parametrize(
    ("written", "iso", "precision", "shown"),
    [
        ("2011", "2011", YEAR, "2011"),
        ("năm 2011", "2011", YEAR, "2011"),
        ("6/2008", "2008-06", MONTH, "6/2008"),  # a month, not 1/6/2008
        ("tháng 6/2008", "2008-06", MONTH, "6/2008"),
        ("06-2008", "2008-06", MONTH, "6/2008"),
        ("26/6/2007", "2007-06-26", DAY, "26/6/2007"),
        ("ngày 26/6/2007", "2007-06-26", DAY, "26/6/2007"),
        ("22.3.2012", "2012-03-22", DAY, "22/3/2012"),
        ("2008-06", "2008-06", MONTH, "6/2008"),
        ("2007-06-26", "2007-06-26", DAY, "26/6/2007"),
    ],
)
def test_a_date_keeps_the_precision_it_was_written_with(written, iso, precision, shown):
    date = PartialDate.parse(written)
    assert (date.isoformat(), date.precision, str(date)) == (iso, precision, shown)
    assert PartialDate.parse(date.isoformat()) == date


@pytest.mark.parametrize(
    "written", ["", "sáu 2008", "13/2008", "31/2/2010", "29/2/2011", "2008-6-", "0/2008", "1850"]
)
def test_what_is_not_a_date_says_so_in_vietnamese(written):
    with pytest.raises(InvalidPartialDate) as raised:
        PartialDate.parse(written)
    assert any(word in str(raised.value) for word in ("ngày", "Ngày", "Tháng", "Năm"))


def test_stored_dates_sort_across_precisions():
    written = ["2009", "26/6/2007", "6/2008", "2008", "1/6/2008", "2007"]
    stored = sorted(PartialDate.parse(text).isoformat() for text in written)
    assert stored == ["2007", "2007-06-26", "2008", "2008-06", "2008-06-01", "2009"]


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)),
    st.sampled_from([YEAR, MONTH, DAY]),
)
def test_every_date_survives_its_round_trips(day, precision):
    date = PartialDate(
        day.year, None if precision == YEAR else day.month, day.day if precision == DAY else None
    )
    assert PartialDate.parse(str(date)) == date == PartialDate.parse(date.isoformat())


@pytest.mark.parametrize(
    ("written", "amount", "qualifier", "shown"),
    [
        ("300 triệu đồng", 300_000_000, EXACT, "300 triệu đồng"),
        ("3 tỷ đồng", 3_000_000_000, EXACT, "3 tỷ đồng"),
        ("trên 5 tỷ đồng", 5_000_000_000, AT_LEAST, "trên 5 tỷ đồng"),
        ("5,2 tỷ đồng", 5_200_000_000, EXACT, "5,2 tỷ đồng"),  # past a 32-bit integer
        ("5,2 tỉ", 5_200_000_000, EXACT, "5,2 tỷ đồng"),
        ("khoảng 1,25 tỷ", 1_250_000_000, ABOUT, "khoảng 1,25 tỷ đồng"),
        ("100 triệu", 100_000_000, EXACT, "100 triệu đồng"),
        ("3.000.000.000", 3_000_000_000, EXACT, "3 tỷ đồng"),
        ("12.345.678 đồng", 12_345_678, EXACT, "12.345.678 đồng"),
        ("1.500 tỷ", 1_500_000_000_000, EXACT, "1.500 tỷ đồng"),
        ("500 ngàn", 500_000, EXACT, "500 nghìn đồng"),
        ("hơn 1 tỷ", 1_000_000_000, AT_LEAST, "trên 1 tỷ đồng"),
    ],
)
def test_amounts_read_and_write_as_vietnamese_documents_do(written, amount, qualifier, shown):
    assert parse_vnd(written) == (amount, qualifier)
    assert format_vnd(amount, qualifier) == shown


@pytest.mark.parametrize(
    "written", ["", "tỷ", "năm tỷ", "5,2", "0 đồng", "1,5 đồng", "1,0001 nghìn", "2.000.000 tỷ", "-3 tỷ"]
)
def test_what_is_not_an_amount_says_so_in_vietnamese(written):
    with pytest.raises(InvalidAmount) as raised:
        parse_vnd(written)
    assert "số tiền" in str(raised.value) or "đồng" in str(raised.value)


@given(st.integers(min_value=1, max_value=LARGEST), st.sampled_from([EXACT, AT_LEAST, ABOUT]))
def test_every_amount_survives_being_written_and_read(amount, qualifier):
    assert parse_vnd(format_vnd(amount, qualifier)) == (amount, qualifier)
