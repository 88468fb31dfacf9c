"""
Amounts in đồng as Vietnamese documents write them: "300 triệu đồng", "5,2 tỷ đồng", "trên 5 tỷ
đồng". An amount is a whole number of đồng (5,2 tỷ is 5,200,000,000: past a 32-bit integer, so the
database keeps a 64-bit one and GraphQL a scalar that cannot overflow) with a qualifier: exact,
at least ("trên 5 tỷ"), or about ("khoảng 1 tỷ").
"""

import re
from decimal import Decimal

EXACT, AT_LEAST, ABOUT = "exact", "at_least", "about"

# The words before an amount that say how exact it is, and the one each qualifier is written with.
QUALIFIER_WORDS = {AT_LEAST: ("trên", "hơn", "ít nhất", "tối thiểu"), ABOUT: ("khoảng", "gần", "xấp xỉ")}
WRITTEN_QUALIFIER = {EXACT: "", AT_LEAST: "trên ", ABOUT: "khoảng "}

# Units, largest first: "tỷ" is also spelt "tỉ"; "nghìn" also "ngàn".
UNITS = [
    (10**9, "tỷ", ("tỷ", "tỉ")),
    (10**6, "triệu", ("triệu",)),
    (10**3, "nghìn", ("nghìn", "ngàn")),
]
LARGEST = 10**15  # a million tỷ: more than any province's budget, so a typing mistake


class InvalidAmount(ValueError):
    """A text that is not an amount of đồng."""


def group_thousands(number):
    """12345678 → "12.345.678" (Vietnamese groups thousands with dots)."""
    return f"{number:,}".replace(",", ".")


def format_vnd(amount, qualifier=EXACT):
    """
    The amount as a reader writes it: in the largest unit it reaches when that takes at most three
    decimals ("5,2 tỷ đồng", "300 triệu đồng", "1,25 tỷ đồng"), else every digit
    ("12.345.678 đồng"); "trên …" for at least, "khoảng …" for about.
    """
    words = WRITTEN_QUALIFIER.get(qualifier, "")
    for size, name, _spellings in UNITS:
        # At most three decimals, and below a thousand of the unit but in tỷ ("1.500 tỷ đồng").
        fits = amount < 1000 * size or size == UNITS[0][0]
        if amount >= size and (amount * 1000) % size == 0 and fits:
            value = Decimal(amount) / size
            integer, _, decimals = f"{value.normalize():f}".partition(".")
            number = group_thousands(int(integer)) + (f",{decimals}" if decimals else "")
            return f"{words}{number} {name} đồng"
    return f"{words}{group_thousands(amount)} đồng"


def parse_vnd(text):
    """
    (amount in đồng, qualifier) from what an editor or a spreadsheet writes: "5,2 tỷ",
    "trên 5 tỷ đồng", "300 triệu", "khoảng 1,5 tỉ", "3.000.000.000", "100000000 đồng".
    """
    original = text
    text = " ".join(str(text).split()).lower().removesuffix("đồng").removesuffix("vnđ").strip()
    qualifier = EXACT
    for kind, words in QUALIFIER_WORDS.items():
        for word in words:
            if text.startswith(word + " "):
                qualifier, text = kind, text[len(word) + 1 :]
                break
    size = 1
    for unit_size, _name, spellings in UNITS:
        for spelling in spellings:
            if text.endswith(" " + spelling) or text.endswith(spelling):
                size, text = unit_size, text.removesuffix(spelling).strip()
                break
        if size != 1:
            break
    digits = text.replace(" ", "")
    if re.fullmatch(r"\d+", digits):
        number = Decimal(digits)
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):  # thousands grouped with dots: "3.000.000.000"
        number = Decimal(digits.replace(".", ""))
    elif size == 1 and re.fullmatch(r"\d{1,3}(,\d{3})+", digits):  # whole đồng grouped with commas
        number = Decimal(digits.replace(",", ""))
    elif size > 1 and re.fullmatch(r"\d+[,.]\d+", digits):  # a decimal comma ("5,2 tỷ"), or point
        number = Decimal(digits.replace(",", "."))
    elif size > 1 and re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", digits):  # both: "1.500,5 tỷ"
        number = Decimal(digits.replace(".", "").replace(",", "."))
    else:
        raise InvalidAmount(f"“{original}” không phải là số tiền: hãy viết ví dụ “5,2 tỷ” hoặc “300 triệu”.")
    amount = number * size
    if amount != amount.to_integral_value():
        raise InvalidAmount(f"“{original}” không phải là một số đồng chẵn.")
    if not 0 < amount <= LARGEST:
        raise InvalidAmount(f"“{original}”: số tiền phải lớn hơn 0 và nhỏ hơn một triệu tỷ đồng.")
    return int(amount), qualifier
