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


def with_check(first17):
    return first17 + uscc.check_character(first17)


DEFINED_PAIRS = [a + k for a, (_, kinds) in uscc.AUTHORITIES.items() for k in kinds]
# The examples: right check characters, undefined authority 0 and type Y2.
UNDEFINED_AUTHORITY = "01620100719023721X"
UNDEFINED_TYPE = "Y2620100719023721U"


def test_the_table_holds_the_pairs_of_the_2015_text():
    assert {"11", "12", "13", "19", "51", "52", "53", "59", "91", "92", "93", "Y1"} <= set(
        DEFINED_PAIRS
    )


@pytest.mark.parametrize("pair", DEFINED_PAIRS)
def test_every_defined_authority_and_type_pair_is_accepted(pair):
    code = with_check(pair + "620105MA71T4YW8")
    assert uscc.validate(code) == code


def test_an_undefined_authority_is_refused_naming_the_character():
    assert uscc.check_character(UNDEFINED_AUTHORITY[:17]) == UNDEFINED_AUTHORITY[17]
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate(UNDEFINED_AUTHORITY)
    assert err.value.code == "authority"
    assert "0" in err.value.message


def test_an_undefined_type_of_a_defined_authority_is_refused_naming_the_character():
    assert uscc.check_character(UNDEFINED_TYPE[:17]) == UNDEFINED_TYPE[17]
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate(UNDEFINED_TYPE)
    assert err.value.code == "entity_type"
    assert "2" in err.value.message and "Y" in err.value.message


@pytest.mark.parametrize("authority", [c for c in uscc.CHARSET if c not in uscc.AUTHORITIES])
def test_every_undefined_authority_is_refused(authority):
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate(with_check(authority + "1620105MA71T4YW8"))
    assert err.value.code == "authority"


@pytest.mark.parametrize("inner", ["91620105 MA71T4YW8Q", "91620105\tMA71T4YW8Q",
                                   "91620105\u3000MA71T4YW8Q"])
def test_inner_spaces_and_tabs_are_refused_not_removed(inner):
    with pytest.raises(uscc.USCCError) as err:
        uscc.validate(inner)
    assert err.value.code == "length"
