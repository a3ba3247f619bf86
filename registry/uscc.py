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


# Position 1 (登记管理部门代码) and, per authority, position 2 (机构类别代码). GB 32100-2015
# defines 1 机构编制, 5 民政, 9 工商 and Y 其他 with the types 11 12 13 19, 51 52 53 59,
# 91 92 93 and Y1 (RULES.md §4 [V]). The authorities and types added since by the
# standard's administrators (外交, 司法行政, 文化, 旅游, 宗教, 工会, 中央军委改革和编制办公室,
# 公安, 住房城乡建设, 农业农村, 侨联, and new types under 5, 8 and 9) are taken from a public
# table found with the search tool (code corpus, id 18688163590: "credentialkit" enum
# OrgCategory, 2025) [P: not the official text]; 32–35 under 司法行政 (notary, grass-roots
# legal service, forensic and arbitration bodies) are from memory of the same list [U].
# Names are data, in Chinese as the standard writes them.
AUTHORITIES = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体",
                       "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所",
                       "4": "司法鉴定机构", "5": "仲裁委员会", "6": "商事调解组织", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "4": "村民委员会",
                   "5": "居民委员会", "9": "其他"}),
    "6": ("旅游", {"1": "外国政府旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻代表机构",
                   "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "2": "非法人工会组织", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社",
                             "9": "其他"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队文职人员用人单位", "9": "其他"}),
    "G": ("公安", {"1": "境外非政府组织代表机构", "9": "其他"}),
    "J": ("住房城乡建设", {"1": "业主大会", "9": "其他"}),
    "N": ("农业农村", {"1": "组级集体经济组织", "2": "村级集体经济组织",
                       "3": "乡镇级集体经济组织", "9": "其他"}),
    "Q": ("侨联", {"1": "区县级侨联组织", "2": "乡镇级侨联组织", "3": "村级侨联组织",
                   "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}


def normalize(value):
    """The one normaliser of a typed or imported code: outer spaces removed, upper case.

    Inner spaces and tabs are kept, so the length or character check refuses them: the form,
    the API and the Excel import accept exactly the same codes.
    """
    return (value or "").strip().upper()


def check_kind(code):
    """Refuse a code whose authority (position 1) or entity type (position 2) is undefined."""
    authority, kind = code[0], code[1]
    if authority not in AUTHORITIES:
        raise USCCError(
            "authority",
            gettext(
                "The first character of the credit code, %(char)s, is not a registration"
                " authority code of GB 32100-2015 (allowed: %(allowed)s)."
            ) % {"char": authority, "allowed": ", ".join(AUTHORITIES)},
        )
    kinds = AUTHORITIES[authority][1]
    if kind not in kinds:
        raise USCCError(
            "entity_type",
            gettext(
                "The second character of the credit code, %(char)s, is not an entity type of"
                " registration authority %(authority)s (allowed: %(allowed)s)."
            ) % {"char": kind, "authority": authority, "allowed": ", ".join(kinds)},
        )


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
    check_kind(code)
    return code
