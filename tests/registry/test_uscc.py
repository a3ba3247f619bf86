import random

import pytest
from django.utils import translation

from demo.codes import make_uscc
from registry import uscc

# Valid Gansu codes listed in RULES.md §4 (python-stdnum's test data).
VALID = [
    "91620100719023721L",
    "91620105224521729E",
    "9162010555628132X1",
    "91620105MA71T4YW8Q",
    "91620105L015101280",
]


@pytest.mark.parametrize("code", VALID)
def test_published_gansu_codes_are_valid(code):
    assert uscc.validate(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert uscc.validate("  91620105ma71t4yw8q ") == "91620105MA71T4YW8Q"


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate("91110000600037341N")
    assert err.value.code == "check_digit"
    assert "第18位应为 L" in err.value.message
    with translation.override("en"), pytest.raises(uscc.USCCError) as err:
        uscc.validate("91110000600037341N")
    assert "should be L" in err.value.message


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_never_used_are_refused(letter):
    code = "91620105MA71T4YW8" + letter
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate(code)
    assert err.value.code == "charset"
    assert letter in err.value.message


@pytest.mark.parametrize("code", ["", "9162010571902372", "91620100719023721LL"])
def test_wrong_length_is_refused_with_the_count(code):
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate(code)
    assert err.value.code == "length"
    assert f"{len(code)}位" in err.value.message


def test_letters_in_the_division_digits_are_refused():
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate("9162A1057190237210")
    assert err.value.code == "shape"


def test_y1_prefix_is_legal():
    first17 = "Y1620105MA71T4YW8"
    code = first17 + uscc.check_character(first17)
    assert uscc.validate(code) == code


def test_every_single_character_change_of_a_valid_code_is_caught():
    code = "91620105MA71T4YW8Q"
    for i in range(18):
        for c in uscc.CHARSET:
            if c == code[i]:
                continue
            changed = code[:i] + c + code[i + 1:]
            with pytest.raises(uscc.USCCError):
                uscc.validate(changed)


def test_generated_demo_codes_are_valid():
    rng = random.Random(1)
    for _ in range(200):
        assert uscc.validate(make_uscc("620102", rng))
