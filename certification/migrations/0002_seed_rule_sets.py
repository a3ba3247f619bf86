"""Seed the MIIT 2022 rule sets (工信部企业〔2022〕63号): the innovative-SME evaluation, the
专精特新 SME standard and the 小巨人 conditions, as in ../shared/domain/RULES.md §1.2–1.4.

Money is in 万元 as the monitoring reports keep it (1 million yuan = 100 万元); ratios are
fractions. Bands include their lower bound and exclude their upper one (``lo <= v < hi``).

Re-running is harmless: rule sets and items are matched by code; thresholds are rewritten, but
wording the province has edited in the admin and a rule set it has switched off are kept.
"""

import datetime

from django.db import migrations

LEGAL_BASIS = "工信部企业〔2022〕63号《优质中小企业梯度培育管理暂行办法》"
# RULES §1: the effective date of the 2022 text is unverified; 1 Aug 2022 is the date cited.
EFFECTIVE_FROM = datetime.date(2022, 8, 1)


def band(low, high, points, label):
    return {"min": low, "max": high, "points": points, "label": label}


def option(points, label):
    return {"points": points, "label": label}


def leaf(metric, op, value):
    return {"metric": metric, "op": op, "value": value}


SCORE_TEST = leaf("score_passed", "==", True)


def scored(code, group, title, title_en, max_points, *, metric="", bands=(), alternatives=(),
           description=""):
    return {
        "code": code, "kind": "scored", "group": group, "title": title, "title_en": title_en,
        "mode": "automatic" if metric or alternatives else "manual", "metric": metric,
        "max_points": max_points, "bands": list(bands), "alternatives": list(alternatives),
        "description": description,
    }


def test(code, kind, group, title, title_en, *, criteria=None, waives="", description=""):
    return {
        "code": code, "kind": kind, "group": group, "title": title, "title_en": title_en,
        "mode": "automatic" if criteria else "manual", "criteria": criteria or {},
        "waives": waives, "description": description,
    }


def condition(code, group, title, title_en, **options):
    return test(code, "basic_condition", group, title, title_en, **options)


def route(code, waives, title, title_en, **options):
    return test(code, "direct_route", "direct", title, title_en, waives=waives, **options)


# RULES §1.5: the negative screening items, checked for every tier.
VETOES = [
    test("V1", "veto", "veto", "近三年发生重大安全（含网络安全、数据安全）事故",
         "A major safety incident (incl. cyber and data security) in the last 3 years",
         criteria=leaf("safety_incidents_3y", ">", 0),
         description="按近三年已核实年报中的重大安全事故数计算。"),
    test("V2", "veto", "veto", "近三年发生重大质量事故",
         "A major quality incident in the last 3 years",
         criteria=leaf("quality_incidents_3y", ">", 0),
         description="按近三年已核实年报中的重大质量事故数计算。"),
    test("V3", "veto", "veto", "近三年发生重大环境污染事件",
         "A major environmental incident in the last 3 years",
         criteria=leaf("environmental_incidents_3y", ">", 0),
         description="按近三年已核实年报中的重大环境事件数计算。"),
    test("V4", "veto", "veto", "被列入经营异常名录或严重失信主体名单",
         "Listed as operating abnormally or as a seriously dishonest entity",
         description="审核人员查询国家企业信用信息公示系统、信用中国后填报，附查询截图。"),
    test("V5", "veto", "veto", "近三年存在偷税漏税或其他重大违法违规行为",
         "Tax evasion or another major violation of law in the last 3 years",
         description="审核人员依据税务、市场监管等部门意见填报。"),
]

IP_OPTIONS_INNOVATIVE = [
    option(20, "Ⅰ类高价值知识产权1项以上"),
    option(15, "自主研发Ⅰ类知识产权1项以上"),
    option(10, "Ⅰ类知识产权1项以上"),
    option(5, "Ⅱ类知识产权1项以上"),
    option(0, "无"),
]

INNOVATIVE = {
    "ruleset": {
        "code": "miit-2022-innovative",
        "kind": "innovative",
        "title": "创新型中小企业评价标准（2022年版）",
        "pass_mark": 60,
        "group_minimums": {"创新能力": 20, "成长性": 15, "专业化": 15},
        "notes": "RULES §1.2. 通过：总分≥60分且创新能力≥20分、成长性≥15分、专业化≥15分，"
                 "或满足任一直通条件。区间边界按下限包含处理（本系统决定）。",
    },
    "items": [
        condition("C1", "score",
                  "评价得分达到60分以上，且创新能力不低于20分、成长性不低于15分、专业化不低于15分",
                  "Score at least 60, with innovation ≥ 20, growth ≥ 15 and specialisation ≥ 15",
                  criteria=SCORE_TEST,
                  description="满足下列任一直通条件的，视为满足本条。"),
        route("D1", "score", "近三年内获得过国家级、省级科技奖励",
              "A national or provincial science and technology award in the last 3 years"),
        route("D2", "score",
              "获得高新技术企业、国家级技术创新示范企业、知识产权优势企业和知识产权示范企业等荣誉（有效期内）",
              "A valid honour: high-tech enterprise, national technology-innovation demonstration"
              " enterprise, IP advantage or IP demonstration enterprise"),
        route("D3", "score", "拥有经认定的省部级以上研发机构",
              "An accredited R&D institution at provincial or ministerial level or above"),
        route("D4", "score", "近三年新增股权融资总额（合格机构投资者的实缴额）500万元以上",
              "New equity financing of at least 5 million yuan in the last 3 years, paid in by"
              " qualified institutional investors",
              criteria=leaf("equity_financing_3y", ">=", 500)),
        scored("I1", "创新能力", "与企业主导产品相关的有效知识产权数量",
               "Valid IP related to the main product", 20, bands=IP_OPTIONS_INNOVATIVE),
        scored("I2", "创新能力", "上年度研发费用总额占营业收入总额比重",
               "Prior-year R&D expense share of operating revenue", 20,
               metric="rd_expense_share", bands=[
                   band(0.05, None, 20, "5%及以上"),
                   band(0.03, 0.05, 15, "3%–5%"),
                   band(0.02, 0.03, 10, "2%–3%"),
                   band(0.01, 0.02, 5, "1%–2%"),
                   band(None, 0.01, 0, "1%以下"),
               ]),
        scored("I3", "成长性", "上年度主营业务收入增长率",
               "Prior-year main-business revenue growth", 20,
               metric="main_business_revenue_growth", bands=[
                   band(0.15, None, 20, "15%及以上"),
                   band(0.10, 0.15, 15, "10%–15%"),
                   band(0.05, 0.10, 10, "5%–10%"),
                   band(0, 0.05, 5, "0–5%"),
                   band(None, 0, 0, "0以下"),
               ]),
        scored("I4", "成长性", "上年度资产负债率", "Prior-year asset-liability ratio", 10,
               metric="debt_ratio", bands=[
                   band(None, 0.55, 10, "55%以下"),
                   band(0.55, 0.75, 5, "55%–75%"),
                   band(0.75, None, 0, "75%及以上"),
               ]),
        scored("I5", "专业化", "主导产品所属领域", "Field of the main product", 10, bands=[
            option(10, "属于《战略性新兴产业分类》"),
            option(5, "其他"),
        ]),
        scored("I6", "专业化", "上年度主营业务收入总额占营业收入总额比重",
               "Prior-year main-business revenue share of operating revenue", 20,
               metric="main_business_share", bands=[
                   band(0.70, None, 20, "70%及以上"),
                   band(0.60, 0.70, 15, "60%–70%"),
                   band(0.55, 0.60, 10, "55%–60%"),
                   band(0.50, 0.55, 5, "50%–55%"),
                   band(None, 0.50, 0, "50%以下"),
               ]),
        *VETOES,
    ],
}

ZJTX = {
    "ruleset": {
        "code": "miit-2022-zjtx",
        "kind": "zjtx",
        "title": "专精特新中小企业认定标准（2022年版）",
        "pass_mark": 60,
        "group_minimums": {},
        "notes": "RULES §1.3. 须同时满足四项基本条件；第四项为评价得分≥60分或满足任一直通条件。"
                 "指标10–13的区间为部分核实（P）。特色化指标（9）由省级主管部门设置，人工评分。",
    },
    "items": [
        condition("C1", "basic", "从事特定细分市场时间达到2年以上",
                  "In a specific niche market for at least 2 years",
                  criteria=leaf("years_in_niche", ">=", 2),
                  description="以企业成立日期计至上年末，须已登记细分市场。"),
        condition("C2", "basic", "上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%",
                  "Prior-year R&D expense at least 1 million yuan and at least 3% of operating"
                  " revenue",
                  criteria={"all": [leaf("rd_expense", ">=", 100),
                                    leaf("rd_expense_share", ">=", 0.03)]}),
        condition("C3", "basic",
                  "上年度营业收入总额在1000万元以上，或上年度营业收入总额在1000万元以下，"
                  "但近2年新增股权融资总额（合格机构投资者的实缴额）达到2000万元以上",
                  "Prior-year operating revenue at least 10 million yuan, or new equity financing"
                  " of at least 20 million yuan in the last 2 years",
                  criteria={"any": [leaf("operating_revenue", ">=", 1000),
                                    leaf("equity_financing_2y", ">=", 2000)]}),
        condition("C4", "score", "评价得分达到60分以上或满足下列直通条件之一",
                  "Evaluation score at least 60, or one of the direct routes met",
                  criteria=SCORE_TEST),
        route("D1", "score",
              "近三年获得过省级科技奖励，并在获奖单位中排名前三；或获得国家级科技奖励，并在获奖单位中排名前五",
              "In the last 3 years, a provincial S&T award ranked in the top 3 award-winning"
              " units, or a national S&T award ranked in the top 5"),
        route("D2", "score", "近两年研发费用总额均值在1000万元以上",
              "Average R&D expense over the last 2 years at least 10 million yuan",
              criteria=leaf("rd_expense_avg_2y", ">=", 1000)),
        route("D3", "score", "近两年新增股权融资总额（合格机构投资者的实缴额）6000万元以上",
              "New equity financing of at least 60 million yuan in the last 2 years",
              criteria=leaf("equity_financing_2y", ">=", 6000)),
        route("D4", "score", "近三年进入“创客中国”中小企业创新创业大赛全国500强企业组名单",
              "In the last 3 years, entered the national top-500 enterprise group of the"
              " 创客中国 SME innovation contest"),
        scored("I1", "专业化", "上年度主营业务收入总额占营业收入总额比重",
               "Prior-year main-business revenue share of operating revenue", 5,
               metric="main_business_share", bands=[
                   band(0.80, None, 5, "80%及以上"),
                   band(0.70, 0.80, 3, "70%–80%"),
                   band(0.60, 0.70, 1, "60%–70%"),
                   band(None, 0.60, 0, "60%以下"),
               ]),
        scored("I2", "专业化", "近2年主营业务收入平均增长率",
               "Average main-business revenue growth over the last 2 years", 10,
               metric="main_business_revenue_avg_growth", bands=[
                   band(0.10, None, 10, "10%及以上"),
                   band(0.08, 0.10, 8, "8%–10%"),
                   band(0.06, 0.08, 6, "6%–8%"),
                   band(0.04, 0.06, 4, "4%–6%"),
                   band(0, 0.04, 2, "0–4%"),
                   band(None, 0, 0, "0以下"),
               ],
               description="两年各自增长率的算术平均。"),
        scored("I3", "专业化", "从事特定细分市场年限", "Years in the niche market", 5,
               metric="years_in_niche", bands=[
                   band(10, None, 5, "10年及以上"),
                   band(8, 10, 4, "8–10年"),
                   band(6, 8, 3, "6–8年"),
                   band(4, 6, 2, "4–6年"),
                   band(2, 4, 1, "2–4年"),
                   band(None, 2, 0, "2年以下"),
               ],
               description="每满2年得1分，最高5分；以企业成立日期计至上年末。"),
        scored("I4", "专业化", "主导产品所属领域", "Field of the main product", 5, bands=[
            option(5, "在产业链供应链关键环节及关键领域“补短板”“锻长板”“填空白”取得实际成效"),
            option(3, "属于工业“六基”领域、中华老字号名录或企业主导产品服务产业链链长企业"),
            option(0, "不属于以上情况"),
        ]),
        scored("I5", "精细化", "数字化水平", "Digitalisation level", 5, bands=[
            band(3, None, 5, "三级及以上"),
            band(2, 3, 3, "二级"),
            band(None, 2, 0, "一级"),
        ], description="按中小企业数字化水平评测等级填写 value（1、2、3、4）。"),
        scored("I6", "精细化", "质量管理水平", "Quality management", 5, bands=[
            band(2, None, 5, "两项及以上（最高5分）"),
            band(1, 2, 3, "一项"),
            band(None, 1, 0, "无"),
        ], description="每满足一项加3分，最高5分：获得省级以上质量奖荣誉；通过ISO9001等质量管理"
                       "体系认证；拥有自主品牌；参与制修订标准。value 填写满足的项数。"),
        scored("I7", "精细化", "上年度净利润率", "Prior-year net profit margin", 10,
               metric="net_profit_margin", bands=[
                   band(0.10, None, 10, "10%及以上"),
                   band(0.08, 0.10, 8, "8%–10%"),
                   band(0.06, 0.08, 6, "6%–8%"),
                   band(0.04, 0.06, 4, "4%–6%"),
                   band(0.02, 0.04, 2, "2%–4%"),
                   band(None, 0.02, 0, "2%以下"),
               ]),
        scored("I8", "精细化", "上年度资产负债率", "Prior-year asset-liability ratio", 5,
               metric="debt_ratio", bands=[
                   band(None, 0.50, 5, "50%以下"),
                   band(0.50, 0.60, 3, "50%–60%"),
                   band(0.60, 0.70, 1, "60%–70%"),
                   band(0.70, None, 0, "70%及以上"),
               ]),
        scored("I9", "特色化", "地方特色指标", "Local characteristic indicators", 15,
               description="由省级中小企业主管部门结合本地产业发展和产业特色设置1–3个指标，"
                           "满分15分。甘肃省的具体指标和评分办法在此说明，审核人员据此评分。"),
        scored("I10", "创新能力", "与企业主导产品相关的有效知识产权数量",
               "Valid IP related to the main product", 10, bands=[
                   option(10, "Ⅰ类高价值知识产权1项以上"),
                   option(8, "自主研发Ⅰ类知识产权1项以上"),
                   option(6, "Ⅰ类知识产权1项以上"),
                   option(2, "Ⅱ类知识产权1项以上"),
                   option(0, "无"),
               ]),
        scored("I11", "创新能力", "上年度研发费用投入",
               "Prior-year R&D input (amount or share of revenue, whichever scores higher)", 10,
               alternatives=[
                   {"metric": "rd_expense", "bands": [
                       band(500, None, 10, "500万元及以上"),
                       band(400, 500, 8, "400–500万元"),
                       band(300, 400, 6, "300–400万元"),
                       band(200, 300, 4, "200–300万元"),
                       band(100, 200, 2, "100–200万元"),
                       band(None, 100, 0, "100万元以下"),
                   ]},
                   {"metric": "rd_expense_share", "bands": [
                       band(0.10, None, 10, "占营业收入10%及以上"),
                       band(0.08, 0.10, 8, "占营业收入8%–10%"),
                       band(0.06, 0.08, 6, "占营业收入6%–8%"),
                       band(0.04, 0.06, 4, "占营业收入4%–6%"),
                       band(0.03, 0.04, 2, "占营业收入3%–4%"),
                       band(None, 0.03, 0, "占营业收入3%以下"),
                   ]},
               ]),
        scored("I12", "创新能力", "上年度研发人员占企业职工总数比重",
               "Prior-year R&D staff share of employees", 5,
               metric="rd_staff_share", bands=[
                   band(0.20, None, 5, "20%及以上"),
                   band(0.10, 0.20, 3, "10%–20%"),
                   band(0.05, 0.10, 1, "5%–10%"),
                   band(None, 0.05, 0, "5%以下"),
               ]),
        scored("I13", "创新能力", "建立研发机构级别", "Level of own R&D institution", 10, bands=[
            option(10, "国家级"),
            option(8, "省级"),
            option(4, "市级"),
            option(2, "市级以下"),
            option(0, "未建立研发机构"),
        ]),
        *VETOES,
    ],
}

LITTLE_GIANT = {
    "ruleset": {
        "code": "miit-2022-little-giant",
        "kind": "little_giant",
        "title": "专精特新“小巨人”企业认定条件（2022年版）",
        "pass_mark": None,
        "group_minimums": {},
        "notes": "RULES §1.4. 专、精、特、新、链、品六方面条件须同时满足；“新”可由直通条件代替。"
                 "链、品两项及直通条件是否限国家级奖励为未核实（U）。",
    },
    "items": [
        condition("C1", "basic", "已被认定为省级专精特新中小企业",
                  "Already recognised as a provincial 专精特新 SME",
                  description="原则上从专精特新中小企业中认定（RULES §1.4，部分核实）。"),
        condition("C2", "专", "截至上年末，从事特定细分市场时间达到3年以上",
                  "At least 3 years in a specific niche market by the end of the prior year",
                  criteria=leaf("years_in_niche", ">=", 3),
                  description="以企业成立日期计至上年末，须已登记细分市场。"),
        condition("C3", "专", "上年度主营业务收入总额占营业收入总额比重不低于70%",
                  "Prior-year main-business revenue at least 70% of operating revenue",
                  criteria=leaf("main_business_share", ">=", 0.70)),
        condition("C4", "专", "近2年主营业务收入平均增长率不低于5%",
                  "Average main-business revenue growth of at least 5% over the last 2 years",
                  criteria=leaf("main_business_revenue_avg_growth", ">=", 0.05)),
        condition("C5", "精", "研发设计、生产制造、供应链管理等环节，至少1项核心业务采用信息系统支撑",
                  "At least one core business (R&D and design, manufacturing, supply chain) runs"
                  " on information systems"),
        condition("C6", "精", "取得相关管理体系认证，或产品通过发达国家和地区产品认证",
                  "Holds a management-system certification, or its products hold a developed"
                  " market's product certification"),
        condition("C7", "精", "截至上年末，资产负债率不高于70%",
                  "Asset-liability ratio at most 70% at the end of the prior year",
                  criteria=leaf("debt_ratio", "<=", 0.70)),
        condition("C8", "特", "主导产品在全国细分市场占有率达到10%以上",
                  "Main product holds at least 10% of its national niche market"),
        condition("C9", "特", "拥有直接面向市场并具有竞争优势的自主品牌",
                  "Owns a competitive own brand that faces the market directly"),
        condition("C10", "新",
                  "上年度营业收入1亿元以上的，近2年研发费用占营业收入比重均不低于3%；5000万元至1亿元的，"
                  "均不低于6%；5000万元以下的，近2年新增股权融资8000万元以上，且研发费用总额3000万元"
                  "以上、研发人员占职工总数比重50%以上",
                  "R&D intensity by size: revenue ≥ 100 M yuan → R&D ≥ 3% of revenue in each of"
                  " the last 2 years; 50–100 M → ≥ 6%; below 50 M → new equity financing ≥ 80 M"
                  " in 2 years, R&D total ≥ 30 M and R&D staff ≥ 50% of employees",
                  criteria={"any": [
                      {"all": [leaf("operating_revenue", ">=", 10000),
                               leaf("rd_expense_share_min_2y", ">=", 0.03)]},
                      {"all": [leaf("operating_revenue", ">=", 5000),
                               leaf("operating_revenue", "<", 10000),
                               leaf("rd_expense_share_min_2y", ">=", 0.06)]},
                      {"all": [leaf("operating_revenue", "<", 5000),
                               leaf("equity_financing_2y", ">=", 8000),
                               leaf("rd_expense_total_2y", ">=", 3000),
                               leaf("rd_staff_share", ">=", 0.50)]},
                  ]}),
        condition("C11", "新",
                  "自建或与高等院校、科研机构联合建立研发机构（技术研究院、企业技术中心、工程中心、"
                  "院士专家工作站、博士后工作站等）",
                  "Owns or jointly runs an R&D institution (research institute, enterprise"
                  " technology centre, engineering centre, academician or postdoctoral workstation)"),
        condition("C12", "新", "拥有2项以上与主导产品相关的Ⅰ类知识产权，且实际应用并已产生经济效益",
                  "At least 2 class Ⅰ IP items tied to the main product, applied and producing"
                  " economic benefit"),
        route("D1", "新", "近三年获得科技奖励，并在获奖单位中排名前三",
              "A science and technology award in the last 3 years, ranked in the top 3"
              " award-winning units",
              description="是否限于国家级奖励未核实（RULES §1.4），由审核人员按申报通知判断。"),
        route("D2", "新", "近三年进入“创客中国”中小企业创新创业大赛全国50强企业组名单",
              "In the last 3 years, entered the national top-50 enterprise group of the"
              " 创客中国 SME innovation contest"),
        condition("C13", "链",
                  "主导产品在关键领域“补短板”“锻长板”“填空白”，或为大企业、大项目提供关键零部件、"
                  "元器件和配套产品",
                  "Main product fills gaps or strengthens links of key industrial chains, or"
                  " supplies key parts to large enterprises or major projects",
                  description="RULES §1.4：未核实（U）。"),
        condition("C14", "品",
                  "主导产品属于工业“六基”领域、制造强国战略十大重点产业领域或网络强国建设的重点领域",
                  "Main product lies in the industrial 六基 fields, the ten key sectors of 制造强国 or"
                  " the key fields of 网络强国",
                  description="RULES §1.4：未核实（U）。"),
        *VETOES,
    ],
}

EDITABLE = ("title", "title_en", "description")


def seed(apps, schema_editor):
    RuleSet = apps.get_model("certification", "RuleSet")
    RuleItem = apps.get_model("certification", "RuleItem")
    for spec in (INNOVATIVE, ZJTX, LITTLE_GIANT):
        fields = dict(spec["ruleset"])
        ruleset, _ = RuleSet.objects.update_or_create(
            code=fields.pop("code"),
            defaults={**fields, "legal_basis": LEGAL_BASIS, "effective_from": EFFECTIVE_FROM},
            create_defaults={
                **fields,
                "legal_basis": LEGAL_BASIS,
                "effective_from": EFFECTIVE_FROM,
                "is_active": True,
            },
        )
        for position, item in enumerate(spec["items"], start=1):
            item = {"metric": "", "max_points": None, "bands": [], "alternatives": [],
                    "criteria": {}, "waives": "", **item}
            rules = {k: v for k, v in item.items() if k not in EDITABLE and k != "code"}
            RuleItem.objects.update_or_create(
                ruleset=ruleset,
                code=item["code"],
                defaults={**rules, "position": position},
                create_defaults={**item, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
