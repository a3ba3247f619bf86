"""Unified social credit code (统一社会信用代码, GB 32100-2015): shape and check character.

Kept free of models so the same check serves forms, the API, Excel imports and demo data; its
messages are in the active language, its codes stable.
"""

import re

from django.utils.translation import gettext

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, S, V and Z are never used
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class USCCError(ValueError):
    """A credit code failed one named check; ``code`` says which."""

    def __init__(self, code, message):
        self.code = code
        self.message = message
        super().__init__(str(message))


def normalize(value):
    return (value or "").strip().upper()


def check_character(first17):
    """The 18th character that makes ``first17`` a valid code."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate(value):
    """Return the normalised code, or raise USCCError naming the check that failed."""
    code = normalize(value)
    if len(code) != 18:
        raise USCCError(
            "length",
            gettext("The credit code must have 18 characters; it has %(count)s.")
            % {"count": len(code)},
        )
    bad = sorted({c for c in code if c not in CHARSET})
    if bad:
        chars = "".join(bad)
        raise USCCError(
            "charset",
            gettext(
                "The credit code contains characters that are never used: %(chars)s"
                " (I, O, S, V and Z are not allowed)."
            ) % {"chars": chars},
        )
    if not SHAPE.match(code):
        raise USCCError(
            "shape",
            gettext(
                "Characters 3–8 of the credit code must be digits (the registering"
                " authority's division code)."
            ),
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            "check_digit",
            gettext(
                "Wrong check character: the 18th character should be %(expected)s, not"
                " %(actual)s."
            ) % {"expected": expected, "actual": code[17]},
        )
    return code
