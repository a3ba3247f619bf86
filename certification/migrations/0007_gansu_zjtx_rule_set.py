"""A Gansu version of the 专精特新 rule set, and English wording for every seeded rule set.

The new version ``gansu-2026-zjtx`` keeps the national 2022 standard (0002) and replaces the
placeholder of indicator 9 (地方特色指标, 15 points, set by each province) by three indicators
drawn from the Gansu plan 甘工信发〔2018〕551号: its definition of 特色化 (利用特色资源, 弘扬传统技艺和
地域文化, 采用独特工艺、技术、配方或原料, 研制生产具有地方或企业特色的产品) and the province's
industries it names by region (section 二(二)4–5). Campaigns keep the rule set they were opened
with; the 2022 version stays active for them.

Chinese titles, tier labels and descriptions are rule data (official wording); the English
texts added here (``title_en``, ``description_en``, a tier's ``label_en``) let an English page
show the same rules without Chinese. Wording the province has already entered is never
overwritten.
"""

import datetime
import importlib

from django.db import migrations

national = importlib.import_module("certification.migrations.0002_seed_rule_sets")

CODE = "gansu-2026-zjtx"
LEGAL_BASIS = (
    "工信部企业〔2022〕63号《优质中小企业梯度培育管理暂行办法》；"
    "甘工信发〔2018〕551号《甘肃省推动中小企业“专精特新”高质量发展实施方案（2018—2020年）》"
)
EFFECTIVE_FROM = datetime.date(2026, 12, 1)

RULESET_TITLES_EN = {
    "miit-2022-innovative": "Innovative SME evaluation standard (2022 edition)",
    "miit-2022-zjtx": "Specialised and innovative SME recognition standard (2022 edition)",
    "miit-2022-little-giant": "Little giant recognition conditions (2022 edition)",
    CODE: "Specialised and innovative SME recognition standard, Gansu edition (2026)",
}

# English of the tiers an expert or reviewer picks (options and manual ranges). Tiers with
# bounds on an automatic metric are written out from their numbers on the pages.
TIER_LABELS_EN = {
    "Ⅰ类高价值知识产权1项以上": "At least 1 high-value class Ⅰ IP item",
    "自主研发Ⅰ类知识产权1项以上": "At least 1 self-developed class Ⅰ IP item",
    "Ⅰ类知识产权1项以上": "At least 1 class Ⅰ IP item",
    "Ⅱ类知识产权1项以上": "At least 1 class Ⅱ IP item",
    "无": "None",
    "属于《战略性新兴产业分类》": "Listed in the Strategic Emerging Industries Classification",
    "其他": "Other fields",
    "在产业链供应链关键环节及关键领域“补短板”“锻长板”“填空白”取得实际成效":
        "Measurable results in closing gaps, strengthening links or filling blanks at key"
        " links of industrial and supply chains",
    "属于工业“六基”领域、中华老字号名录或企业主导产品服务产业链链长企业":
        "In the industrial six-foundations fields, on the time-honoured brands list, or"
        " supplying a chain-leading enterprise",
    "不属于以上情况": "None of the above",
    "三级及以上": "Level 3 or above",
    "二级": "Level 2",
    "一级": "Level 1",
    "两项及以上（最高5分）": "Two items or more (5 points at most)",
    "一项": "One item",
    "国家级": "National level",
    "省级": "Provincial level",
    "市级": "City level",
    "市级以下": "Below city level",
    "未建立研发机构": "No R&D institution",
}

DESCRIPTIONS_EN = {
    # Vetoes, the same in every rule set.
    "按近三年已核实年报中的重大安全事故数计算。":
        "Counted from the major safety incidents in the verified annual reports of the last"
        " 3 years.",
    "按近三年已核实年报中的重大质量事故数计算。":
        "Counted from the major quality incidents in the verified annual reports of the last"
        " 3 years.",
    "按近三年已核实年报中的重大环境事件数计算。":
        "Counted from the major environmental incidents in the verified annual reports of the"
        " last 3 years.",
    "审核人员查询国家企业信用信息公示系统、信用中国后填报，附查询截图。":
        "Entered by the reviewer after checking the National Enterprise Credit Information"
        " Publicity System and Credit China, with screenshots of the queries.",
    "审核人员依据税务、市场监管等部门意见填报。":
        "Entered by the reviewer on the opinion of the tax and market-regulation authorities.",
    # The 专精特新 standard.
    "以企业成立日期计至上年末，须已登记细分市场。":
        "Counted from the founding date to the end of the prior year; the niche market must be"
        " recorded.",
    "满足下列任一直通条件的，视为满足本条。":
        "Met as well when any one of the direct routes below is met.",
    "两年各自增长率的算术平均。": "The arithmetic mean of the two yearly growth rates.",
    "每满2年得1分，最高5分；以企业成立日期计至上年末。":
        "1 point per full 2 years, at most 5; counted from the founding date to the end of the"
        " prior year.",
    "按中小企业数字化水平评测等级填写 value（1、2、3、4）。":
        "The level of the SME digitalisation assessment (1, 2, 3 or 4).",
    "每满足一项加3分，最高5分：获得省级以上质量奖荣誉；通过ISO9001等质量管理"
    "体系认证；拥有自主品牌；参与制修订标准。value 填写满足的项数。":
        "3 points for each item held, at most 5: a provincial or higher quality award; an"
        " ISO 9001 or similar quality-management certificate; an own brand; taking part in"
        " drafting or revising standards. The value is the number of items held.",
    "原则上从专精特新中小企业中认定（RULES §1.4，部分核实）。":
        "Recognised, as a rule, from among provincial specialised and innovative SMEs.",
    "是否限于国家级奖励未核实（RULES §1.4），由审核人员按申报通知判断。":
        "Whether only national awards count is not settled; the reviewer follows the campaign"
        " notice.",
    "RULES §1.4：未核实（U）。": "Not yet verified against the official text.",
}

PLAN = "甘工信发〔2018〕551号"
PLAN_EN = "the 2018 Gansu plan (Gan Gong Xin Fa [2018] No. 551)"

# English titles of 0002 that kept a Chinese name; replaced where still as seeded.
TITLES_EN = {
    " 创客中国 SME innovation contest": " Maker China SME innovation and entrepreneurship"
                                      " contest",
}

# Indicator 9, as three indicators worth 15 points together (6 + 5 + 4).
LOCAL_INDICATORS = [
    {
        "code": "I9.1",
        "title": "主导产品属于甘肃省特色优势产业",
        "title_en": "Main product belongs to one of Gansu's distinctive leading industries",
        "max_points": 6,
        "bands": [
            {"points": 6,
             "label": "属于企业所在地区的重点发展产业，或为省内龙头企业产业链配套",
             "label_en": "An industry the plan sets for the firm's own region, or supplying a"
                         " provincial chain-leading enterprise"},
            {"points": 4,
             "label": "属于全省其他地区的特色优势产业或特色扶贫产业",
             "label_en": "A distinctive industry the plan names for another region, or a"
                         " poverty-alleviation industry"},
            {"points": 0, "label": "不属于方案列明的特色优势产业",
             "label_en": "Not among the industries the plan names"},
        ],
        "description": (
            f"依据{PLAN}第二部分（二）4、5。各地区重点产业：中部地区（兰州、白银及兰州新区等）"
            "石油化工、有色冶金、装备制造，节能环保、先进制造、中医中药、数据信息、通道物流，"
            "马铃薯、高原夏菜、草食畜牧；河西地区新能源及其装备制造、冶金、有色，节水型绿色产业，"
            "清洁能源、文化旅游、通道物流、戈壁农业；天水装备制造、电工电气、电子信息、食品医药；"
            "陇南有色金属冶炼及精深加工、特色农产品及农产品电子商务；平凉、庆阳石油化工、煤化工、"
            "新能源，果蔬深加工、畜产品加工，轻工纺织；临夏民族特色产业；甘南特色生物资源、"
            "民族用品、商贸物流。产业集群：天水装备制造和电子电工电器、金昌有色金属和新材料、"
            "嘉峪关优质钢材生产及加工、定西中药材和马铃薯精深加工。龙头企业：金川集团（有色金属"
            "新材料）、酒钢集团（优质钢材生产加工）、天水华天（电子信息）。扶贫产业：牛羊肉、"
            "中药材、马铃薯、蔬菜、林果等农产品加工。"
        ),
        "description_en": (
            f"From {PLAN_EN}, part 2 (2) 4–5. By region: the centre (Lanzhou, Baiyin,"
            " Lanzhou New Area) petrochemicals, non-ferrous metallurgy, equipment manufacturing,"
            " energy saving and environmental protection, advanced manufacturing, traditional"
            " Chinese medicine, data and information, logistics, potatoes, highland vegetables,"
            " grazing livestock; the Hexi corridor new energy and its equipment, metallurgy,"
            " non-ferrous metals, water-saving green industries, clean energy, culture and"
            " tourism, logistics, Gobi agriculture; Tianshui equipment manufacturing, electrical"
            " engineering, electronics, food and medicine; Longnan non-ferrous smelting and deep"
            " processing, distinctive farm products and their e-commerce; Pingliang and Qingyang"
            " petrochemicals, coal chemicals, new energy, fruit and vegetable processing,"
            " livestock products, light industry and textiles; Linxia ethnic specialities;"
            " Gannan biological resources, ethnic goods, trade and logistics. Clusters: Tianshui"
            " equipment and electrical engineering, Jinchang non-ferrous metals and new materials,"
            " Jiayuguan quality steel, Dingxi Chinese medicinal herbs and potato processing."
            " Chain leaders: Jinchuan Group (non-ferrous new materials), JISCO (quality steel),"
            " Tianshui Huatian (electronics). Poverty-alleviation industries: processing of beef"
            " and mutton, medicinal herbs, potatoes, vegetables, fruit and forest products."
        ),
    },
    {
        "code": "I9.2",
        "title": "利用特色资源，弘扬传统技艺和地域文化",
        "title_en": "Uses local resources and carries on traditional crafts or regional culture",
        "max_points": 5,
        "bands": [
            {"points": 5,
             "label": "利用本地特色资源，并传承传统技艺或地域文化",
             "label_en": "Uses local resources and carries on traditional crafts or regional"
                         " culture"},
            {"points": 3,
             "label": "利用本地特色资源，或传承传统技艺、地域文化，二者居其一",
             "label_en": "Either uses local resources or carries on traditional crafts or"
                         " regional culture"},
            {"points": 0, "label": "均不具备", "label_en": "Neither"},
        ],
        "description": (
            f"{PLAN}对特色化的界定：利用特色资源，弘扬传统技艺和地域文化。特色资源如中药材、马铃薯、"
            "牛羊肉、林果、特色生物资源、有色金属等；传统技艺和地域文化如非物质文化遗产项目、"
            "中华老字号、民族特色用品、掌握传统技艺或绝活的技术人才。"
        ),
        "description_en": (
            "The 2018 Gansu plan (Gan Gong Xin Fa [2018] No. 551) defines distinctiveness as"
            " using local resources and carrying on"
            " traditional crafts and regional culture. Local resources: medicinal herbs,"
            " potatoes, beef and mutton, fruit and forest products, distinctive biological"
            " resources, non-ferrous metals. Crafts and culture: intangible cultural heritage"
            " items, time-honoured brands, ethnic goods, craftsmen holding traditional skills."
        ),
    },
    {
        "code": "I9.3",
        "title": "采用独特工艺、技术、配方或原料，产品具有地方或企业特色",
        "title_en": "Distinctive process, technique, formula or raw material giving a product"
                    " of local or company character",
        "max_points": 4,
        "bands": [
            {"points": 4,
             "label": "有专利、地理标志产品、非物质文化遗产认定或保密配方等权威证明",
             "label_en": "Shown by a patent, a geographical indication, an intangible-heritage"
                         " listing or a protected formula"},
            {"points": 2,
             "label": "有企业标准、检测报告、用户评价等一般证明",
             "label_en": "Shown by a company standard, test reports or customer references"},
            {"points": 0, "label": "无", "label_en": "None"},
        ],
        "description": (
            f"{PLAN}对特色化的界定：采用独特工艺、技术、配方或原料，研制生产具有地方或企业特色的产品。"
        ),
        "description_en": (
            "The 2018 Gansu plan (Gan Gong Xin Fa [2018] No. 551): adopting a distinctive"
            " process, technique, formula or raw"
            " material to develop and make products of local or company character."
        ),
    },
]

I9_NOTE = (
    "特色化指标（15分）由甘肃省设置为9.1–9.3三项（6+5+4分），依据"
    f"{PLAN}对特色化的界定及其列明的各地区特色优势产业；其余指标、基本条件、直通条件和否决项"
    "与2022年全国标准相同。"
)


def _with_english(bands):
    return [
        {**band, "label_en": TIER_LABELS_EN[band["label"]]}
        if "label_en" not in band and band.get("label") in TIER_LABELS_EN else band
        for band in bands
    ]


# The Gansu version says how the expert reads the two counted indicators without naming the
# input field the 2022 wording refers to.
GANSU_DESCRIPTIONS = {
    "I5": ("按中小企业数字化水平评测等级（一级至四级）评分。",
           "Scored by the level of the SME digitalisation assessment (level 1 to 4)."),
    "I6": ("每满足一项得3分，最高5分：获得省级以上质量奖荣誉；通过ISO9001等质量管理体系认证；"
           "拥有自主品牌；参与制修订标准。",
           "3 points for each item held, at most 5: a provincial or higher quality award; an"
           " ISO 9001 or similar quality-management certificate; an own brand; taking part in"
           " drafting or revising standards."),
}


def _title_en(title_en):
    for chinese, english in TITLES_EN.items():
        title_en = title_en.replace(chinese, english)
    return title_en


def _gansu_items():
    items = []
    for item in national.ZJTX["items"]:
        if item["code"] == "I9":
            items.extend(
                national.scored(spec["code"], "特色化", spec["title"], spec["title_en"],
                                spec["max_points"], bands=spec["bands"],
                                description=spec["description"])
                | {"description_en": spec["description_en"]}
                for spec in LOCAL_INDICATORS
            )
            continue
        english = DESCRIPTIONS_EN.get(item.get("description", ""), "")
        if item["code"] in GANSU_DESCRIPTIONS:
            item = {**item, "description": GANSU_DESCRIPTIONS[item["code"]][0]}
            english = GANSU_DESCRIPTIONS[item["code"]][1]
        items.append({**item, "bands": _with_english(item.get("bands", [])),
                      "title_en": _title_en(item["title_en"]), "description_en": english})
    return items


GANSU = {
    "ruleset": {
        "code": CODE,
        "kind": "zjtx",
        "title": "专精特新中小企业认定标准（甘肃省2026年版）",
        "title_en": RULESET_TITLES_EN[CODE],
        "legal_basis": LEGAL_BASIS,
        "effective_from": EFFECTIVE_FROM,
        "pass_mark": 60,
        "group_minimums": {},
        "notes": I9_NOTE,
    },
    "items": _gansu_items(),
}


def seed_gansu(apps, schema_editor):
    """Create the Gansu version once; an existing one (the province may have edited it) stays."""
    RuleSet = apps.get_model("certification", "RuleSet")
    RuleItem = apps.get_model("certification", "RuleItem")
    fields = dict(GANSU["ruleset"])
    ruleset, created = RuleSet.objects.get_or_create(
        code=fields.pop("code"), defaults={**fields, "is_active": True}
    )
    if not created:
        return
    for position, item in enumerate(GANSU["items"], start=1):
        RuleItem.objects.create(
            ruleset=ruleset,
            position=position,
            **{"metric": "", "max_points": None, "bands": [], "alternatives": [],
               "criteria": {}, "waives": "", "description_en": "", **item},
        )


def add_english(apps, schema_editor):
    """English titles, descriptions and tier labels where none has been entered yet."""
    RuleSet = apps.get_model("certification", "RuleSet")
    RuleItem = apps.get_model("certification", "RuleItem")
    for code, title_en in RULESET_TITLES_EN.items():
        RuleSet.objects.filter(code=code, title_en="").update(title_en=title_en)
    codes = [code for code in RULESET_TITLES_EN if code != CODE]
    for item in RuleItem.objects.filter(ruleset__code__in=codes):
        changed = []
        if not item.description_en and item.description in DESCRIPTIONS_EN:
            item.description_en = DESCRIPTIONS_EN[item.description]
            changed.append("description_en")
        if _title_en(item.title_en) != item.title_en:
            item.title_en = _title_en(item.title_en)
            changed.append("title_en")
        bands = _with_english(item.bands)
        if bands != item.bands:
            item.bands = bands
            changed.append("bands")
        if changed:
            item.save(update_fields=changed)


def forwards(apps, schema_editor):
    seed_gansu(apps, schema_editor)
    add_english(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_rule_texts_in_english"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
