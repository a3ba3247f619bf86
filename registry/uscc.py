"""Unified social credit code (统一社会信用代码, GB 32100-2015): shape and check character.

Kept free of Django so the same check serves forms, the API, Excel imports and demo data.
"""

import re

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
            f"统一社会信用代码应为18位，当前为{len(code)}位。"
            f" The credit code must have 18 characters, it has {len(code)}.",
        )
    bad = sorted({c for c in code if c not in CHARSET})
    if bad:
        chars = "".join(bad)
        raise USCCError(
            "charset",
            f"统一社会信用代码含有不允许的字符：{chars}（不使用 I、O、S、V、Z）。"
            f" The credit code contains characters that are never used: {chars}"
            " (I, O, S, V and Z are not allowed).",
        )
    if not SHAPE.match(code):
        raise USCCError(
            "shape",
            "统一社会信用代码第3–8位应为数字（登记管理机关行政区划码）。"
            " Characters 3–8 of the credit code must be digits (the registering"
            " authority's division code).",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            "check_digit",
            f"统一社会信用代码校验位错误：第18位应为 {expected}，实际为 {code[17]}。"
            f" Wrong check character: the 18th character should be {expected},"
            f" not {code[17]}.",
        )
    return code
