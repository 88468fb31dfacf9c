import pytest

from publishing.text import ascii_slug, fold


@pytest.mark.parametrize("spelling", ["bac kan", "Bắc Kạn", "BẮC KẠN", "bắc kạn", "Bă\u0301c Ka\u0323n"])
def test_every_spelling_folds_to_the_same_text(spelling):
    assert fold(spelling) == "bac kan"


def test_d_with_stroke_folds_to_d():
    assert fold("Đồng Phúc") == fold("dong phuc") == "dong phuc"


def test_all_vowels_with_hooks_and_tones_fold():
    assert fold("ă â ê ô ơ ư ằ ấ ể ỗ ợ ữ ỳ") == "a a e o o u a a e o o u y"


def test_ascii_slug_drops_punctuation_and_respects_length():
    assert ascii_slug("Hà Nội – Bắc Kạn: 5,2 tỷ đồng!") == "ha-noi-bac-kan-52-ty-dong"
    assert ascii_slug("Ngân hàng " * 50, max_length=20) == "ngan-hang-ngan-hang"
