"""Demo accounts and enterprises for development and demonstrations.

Everything is derived from a fixed random seed and the reference data, so every run produces the
same accounts, names and credit codes; rows that already exist (matched by username or credit
code) are left exactly as they are, so a second run writes nothing. Changing the seed or the
tables below changes the codes, so a database loaded before such a change gets a second set.
"""

import datetime
import random
from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.choices import Role
from demo.codes import make_uscc
from registry.choices import RegionLevel
from registry.models import Enterprise, Industry, Region

SEED = 20260101
HISTORY_REASON = "演示数据加载"

# username, role, region code (None: no region), full name.
DEMO_ACCOUNTS = (
    ("province", Role.PROVINCIAL_REVIEWER, "620000", "省工信厅 李审核"),
    ("lanzhou", Role.CITY_STAFF, "620100", "兰州市工信局 王晓燕"),
    ("tianshui", Role.CITY_STAFF, "620500", "天水市工信局 赵建国"),
    ("chengguan", Role.COUNTY_STAFF, "620102", "城关区工信局 张丽"),
    ("expert1", Role.EXPERT, None, "评审专家 陈志远"),
    ("finance", Role.FINANCE_OFFICER, "620000", "省工信厅资金管理处 刘敏"),
    ("api", Role.API_CLIENT, "620000", "省数据共享平台（只读接口）"),
    ("auditor", Role.AUDITOR, "620000", "省工信厅审计 周正"),
    # Linked to its bank by demo.financing, which reads the needs firms shared.
    ("bank1", Role.INSTITUTION_STAFF, None, "工商银行甘肃省分行普惠金融部 孙立"),
)

# Prefecture unit: (short name used in firm names, telephone area code, number of firms,
# industries the unit is known for). Counts roughly follow each unit's industrial weight.
PREFECTURES = {
    "620100": ("兰州", "0931", 70, ("C26", "C34", "C35", "C27", "C38", "C40", "I65", "C14")),
    "620200": ("嘉峪关", "0937", 14, ("C31", "C33", "C32", "C43")),
    "620300": ("金昌", "0935", 16, ("C32", "C26", "C42", "B09")),
    "620400": ("白银", "0943", 20, ("C32", "C26", "C30", "C29")),
    "620500": ("天水", "0938", 28, ("C39", "C38", "C34", "C40", "C13")),
    "620600": ("武威", "0935", 16, ("C13", "C15", "C14", "C30")),
    "620700": ("张掖", "0936", 16, ("A01", "C13", "C15", "C14")),
    "620800": ("平凉", "0933", 18, ("C13", "C30", "B06", "C14")),
    "620900": ("酒泉", "0937", 20, ("C38", "D44", "C35", "C24")),
    "621000": ("庆阳", "0934", 18, ("B11", "C25", "C13", "C24")),
    "621100": ("定西", "0932", 18, ("C27", "C13", "A01", "C35")),
    "621200": ("陇南", "0939", 18, ("C15", "C13", "C27")),
    "622900": ("临夏", "0930", 16, ("C13", "C18", "C14", "C19")),
    "623000": ("甘南", "0941", 10, ("C14", "C13", "C27")),
    "LZXQ": ("兰州新区", "0931", 20, ("C26", "C38", "C39", "C35", "C27", "C36")),
}

# GB/T 2260 code carried by the credit codes of 兰州新区 firms: it has none of its own and its
# firms register with 兰州's authorities (RULES.md §5).
LZXQ_REGISTRATION_CODE = "620100"

# Industry division: (weight in the province-wide draw, words for the firm name,
# (main products, niche market) pairs). Manufacturing carries most of the weight.
INDUSTRIES = {
    "C13": (8, ("农产品开发", "食品", "农业科技"), (
        ("马铃薯精淀粉、变性淀粉", "马铃薯精淀粉"),
        ("清真牛羊肉分割、冷鲜肉", "清真冷鲜牛羊肉"),
        ("高原夏菜预冷保鲜、脱水蔬菜", "高原夏菜冷链保鲜"),
        ("苹果浓缩汁", "浓缩苹果汁"),
        ("百合干片、百合粉", "百合精深加工"),
        ("花椒油、花椒粉", "花椒精深加工"),
        ("核桃仁、冷榨核桃油", "核桃精深加工"),
        ("反刍动物预混合饲料", "牛羊预混合饲料"),
    )),
    "C14": (4, ("食品", "乳业", "生物科技"), (
        ("牦牛乳粉、发酵乳", "牦牛乳制品"),
        ("牛肉面复合调味料", "牛肉拉面调味料"),
        ("苦荞茶、杂粮方便食品", "杂粮方便食品"),
        ("速冻面点、牛肉面半成品", "速冻方便面食"),
        ("玫瑰酱、玫瑰糕点", "玫瑰食品"),
    )),
    "C15": (3, ("酒业", "茶业", "饮品"), (
        ("浓香型白酒", "中高端浓香型白酒"),
        ("干红、干白葡萄酒", "干型葡萄酒"),
        ("绿茶、红茶", "高山绿茶"),
        ("沙棘果汁饮料", "沙棘饮品"),
    )),
    "C17": (1, ("纺织", "毛纺"), (
        ("羊毛纱线、精纺面料", "高支精纺羊毛面料"),
        ("牦牛绒纱线", "牦牛绒纺织"),
        ("医用非织造布", "医用无纺布"),
    )),
    "C18": (1, ("服饰", "服装"), (
        ("民族服饰、职业装", "民族特色服饰"),
        ("防静电工作服", "石化行业防护服"),
    )),
    "C19": (1, ("皮革", "皮业"), (
        ("羊皮革、皮革制品", "滩羊皮制品"),
        ("汽车座椅牛皮革", "汽车内饰皮革"),
    )),
    "C20": (1, ("木业",), (("胶合板、木质包装箱", "机电产品木质包装"),)),
    "C21": (1, ("家具",), (("办公家具、校用课桌椅", "中小学课桌椅"),)),
    "C22": (1, ("纸业", "包装"), (("瓦楞纸箱、果品包装", "果品包装纸箱"),)),
    "C23": (1, ("印务", "彩印"), (("药品包装盒、说明书印刷", "药品包装印刷"),)),
    "C24": (1, ("工艺品", "文化创意"), (
        ("香包、刺绣工艺品", "非遗香包刺绣"),
        ("洮砚、工艺砚台", "洮砚"),
        ("夜光杯、玉石工艺品", "夜光杯"),
    )),
    "C25": (1, ("石化", "能源化工"), (
        ("道路改性沥青", "高等级道路沥青"),
        ("煅后石油焦", "铝用阳极煅后焦"),
    )),
    "C26": (6, ("化工", "新材料", "精细化工"), (
        ("氟化氢、含氟精细化学品", "含氟精细化学品"),
        ("电池级硫酸镍、硫酸钴", "电池级镍钴盐"),
        ("聚丙烯专用料", "聚烯烃专用料"),
        ("吡啶类农药中间体", "农药中间体"),
        ("石油炼制催化剂", "炼油催化剂"),
        ("磷酸铁锂正极材料", "锂电池正极材料"),
    )),
    "C27": (5, ("药业", "制药", "中药材"), (
        ("党参、黄芪中药饮片", "道地中药材饮片"),
        ("中药配方颗粒", "中药配方颗粒"),
        ("口蹄疫灭活疫苗", "兽用疫苗"),
        ("藏药丸剂、散剂", "藏药制剂"),
        ("维生素类原料药", "原料药"),
    )),
    "C28": (1, ("化纤",), (("再生涤纶短纤维", "再生涤纶短纤"),)),
    "C29": (2, ("塑业", "橡塑"), (
        ("全生物降解地膜、滴灌带", "全生物降解地膜"),
        ("PE给水管材", "市政给水管材"),
        ("矿用阻燃输送带", "矿用输送带"),
    )),
    "C30": (3, ("建材", "新材料"), (
        ("油井水泥", "特种油井水泥"),
        ("光伏压延玻璃", "光伏玻璃"),
        ("镁碳砖、耐火浇注料", "冶金用耐火材料"),
        ("石墨电极", "超高功率石墨电极"),
        ("凹凸棒石粘土制品", "凹凸棒石功能材料"),
    )),
    "C31": (2, ("钢铁", "冶金"), (
        ("不锈钢精密冷轧带", "精密不锈钢带"),
        ("硅铁、硅锰合金", "铁合金"),
    )),
    "C32": (5, ("有色金属", "铝业", "新材料"), (
        ("高强铝合金型材", "轨道交通铝型材"),
        ("电解铜箔", "锂电铜箔"),
        ("超细镍粉、钴粉", "超细金属粉体"),
        ("热镀锌合金", "锌合金"),
        ("稀土金属及合金", "稀土功能材料"),
    )),
    "C33": (3, ("金属制品", "钢结构"), (
        ("光伏支架、钢结构件", "光伏支架"),
        ("节能铝合金门窗", "节能门窗"),
        ("高强度风电紧固件", "风电紧固件"),
    )),
    "C34": (6, ("机械", "机床", "泵业"), (
        ("数控卧式车床", "大型数控车床"),
        ("石油化工流程泵", "石化流程泵"),
        ("高温高压阀门", "石化阀门"),
        ("螺杆空气压缩机", "螺杆空压机"),
        ("风电主轴轴承", "风电轴承"),
    )),
    "C35": (6, ("机械", "装备", "智能装备"), (
        ("石油钻机及钻采设备", "石油钻机"),
        ("圆锥破碎机", "有色金属矿山破碎设备"),
        ("马铃薯收获机", "马铃薯收获机械"),
        ("中药提取浓缩设备", "中药提取设备"),
        ("烟气脱硫脱硝设备", "工业烟气治理设备"),
    )),
    "C36": (2, ("汽车零部件", "专用汽车"), (
        ("环卫专用车", "环卫专用车"),
        ("新能源汽车线束", "新能源汽车线束"),
    )),
    "C37": (1, ("轨道交通装备", "航空科技"), (
        ("铁路货车车钩缓冲装置", "铁路货车配件"),
        ("植保无人机", "农林植保无人机"),
    )),
    "C38": (6, ("电气", "电工", "新能源"), (
        ("中高压开关柜", "中高压开关设备"),
        ("风力发电机组叶片", "风电叶片"),
        ("光伏组件", "光伏组件"),
        ("矿用特种电缆", "特种电缆"),
        ("储能锂电池系统", "储能电池"),
        ("高效节能电机", "高效电机"),
    )),
    "C39": (4, ("电子", "微电子", "电子科技"), (
        ("集成电路封装测试", "集成电路封装测试"),
        ("集成电路引线框架", "引线框架"),
        ("片式电阻、电容", "片式元器件"),
        ("工业级通信终端", "工业通信终端"),
    )),
    "C40": (3, ("仪器", "仪表", "智能科技"), (
        ("在线色谱分析仪", "石化在线分析仪器"),
        ("智能水表、燃气表", "智能计量仪表"),
        ("真空计、真空检漏仪", "真空测量仪器"),
    )),
    "C41": (1, ("制品",), (("一次性可降解餐具", "可降解餐饮具"),)),
    "C42": (2, ("再生资源", "环保科技"), (
        ("退役动力电池回收利用", "动力电池梯次利用"),
        ("冶炼废渣综合利用", "冶炼渣资源化"),
    )),
    "C43": (1, ("设备维修", "机电"), (
        ("冶金设备检修", "冶金设备维修"),
        ("风电机组运维检修", "风电运维"),
    )),
    "A01": (1, ("种业", "农业"), (
        ("杂交玉米种子、蔬菜种子", "杂交玉米制种"),
        ("中药材种苗", "中药材种苗繁育"),
    )),
    "B06": (1, ("煤业",), (("洗精煤", "低硫洗精煤"),)),
    "B09": (1, ("矿业",), (("镍铜矿采选", "镍铜共生矿选矿"),)),
    "B11": (1, ("石油技术服务", "油田服务"), (("油田压裂、测井服务", "低渗透油田压裂"),)),
    "D44": (2, ("新能源", "电力"), (
        ("分布式光伏发电", "分布式光伏"),
        ("光热发电", "塔式光热发电"),
    )),
    "G59": (1, ("物流", "供应链"), (("冷链仓储配送", "农产品冷链仓储"),)),
    "I65": (3, ("软件", "信息技术", "数据科技"), (
        ("冶金行业MES系统", "工业软件"),
        ("政务数据共享平台", "政务信息化"),
        ("北斗高精度定位应用", "北斗定位服务"),
    )),
    "M73": (1, ("技术研究院",), (("有色金属新材料研发与技术转让", "新材料研发"),)),
    "M74": (1, ("检测", "工程技术"), (("工业产品检验检测", "工业产品检测"),)),
    "N77": (1, ("环保", "环境科技"), (
        ("石化废水处理", "工业废水治理"),
        ("荒漠化治理、生态修复", "生态修复"),
    )),
}

# Share of firms whose industry is drawn from what their prefecture unit is known for.
LOCAL_INDUSTRY_SHARE = 0.45

TRADE_NAMES = (
    "华新", "恒远", "金诚", "瑞丰", "宏达", "鑫源", "中天", "永盛", "祁连", "陇原", "丝路", "黄河",
    "昆仑", "博创", "泰和", "润泽", "汇通", "德隆", "佳和", "聚力", "凯瑞", "三元", "天成", "海纳",
    "弘毅", "众合", "信达", "明远", "长青", "锦程", "正阳", "立德", "康源", "福瑞", "志远", "新源",
    "启航", "卓越", "金桥", "同创", "安泰", "兴陇", "亚强", "荣达", "嘉禾", "北辰", "西岳", "万通",
    "大成", "宝丰", "腾飞", "鼎盛", "华瑞", "金鼎", "恒信", "中盛", "普惠", "和盛", "东升", "瀚海",
)
SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "赵", "马", "魏", "何", "孙", "周", "吴", "郭", "牛", "苏",
    "朱", "高", "冯", "邓", "韩", "石", "罗", "蒲", "雷", "贾", "段", "祁", "包", "汪",
)
GIVEN_NAMES = (
    "伟", "芳", "军", "强", "敏", "静", "磊", "洋", "艳", "勇", "杰", "娟", "涛", "明", "超", "霞",
    "建国", "建军", "海涛", "志刚", "晓东", "文博", "红梅", "玉兰", "国庆", "永福", "德胜", "丽娟",
    "海燕", "振华", "新民", "春生", "小龙", "继红", "卫东", "晓燕", "天佑", "子涵", "浩然", "思远",
)
STREETS = (
    "科技路", "创业路", "兴业大道", "建设路", "长安路", "新华路", "民主路", "滨河路", "工业园路",
    "经开大道", "循环经济路", "丝路大道",
)
PARKS = ("", "", "经济技术开发区", "高新技术产业开发区", "工业园区", "循环经济产业园")
# Weighted to later years: most of today's SMEs are young firms.
FOUNDING_YEARS = range(1995, 2022)
FOUNDING_YEAR_WEIGHTS = [1 + (year >= 2005) + (year >= 2012) for year in FOUNDING_YEARS]


@dataclass(frozen=True)
class DemoLoadResult:
    accounts_created: int
    accounts_existing: int
    enterprises_created: int
    enterprises_existing: int

    @property
    def unchanged(self):
        return not (self.accounts_created or self.enterprises_created)


@transaction.atomic
def demo_data_load():
    """Create the demo accounts and enterprises that do not exist yet; change nothing else.

    Accounts are matched by username and get ``settings.DEMO_PASSWORD`` only when created.
    Enterprises are matched by credit code and inserted in bulk under a history context whose
    reason is "演示数据加载", so the audit trail says where they came from.
    """
    with pghistory.context(reason=HISTORY_REASON):
        accounts_created = _create_accounts()
        enterprises = _demo_enterprises()
        existing = set(
            Enterprise.objects.filter(uscc__in=[e.uscc for e in enterprises]).values_list(
                "uscc", flat=True
            )
        )
        missing = [e for e in enterprises if e.uscc not in existing]
        for enterprise in missing:
            # Region and industry come from the database; the rest is checked as a form would.
            enterprise.full_clean(
                exclude=("region", "industry", "created_by"),
                validate_unique=False,
                validate_constraints=False,
            )
        Enterprise.objects.bulk_create(missing)
    return DemoLoadResult(
        accounts_created=accounts_created,
        accounts_existing=len(DEMO_ACCOUNTS) - accounts_created,
        enterprises_created=len(missing),
        enterprises_existing=len(existing),
    )


def _create_accounts():
    User = get_user_model()
    present = set(
        User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    missing = [account for account in DEMO_ACCOUNTS if account[0] not in present]
    if not missing:
        return 0
    codes = [region_code for _, _, region_code, _ in missing if region_code]
    regions = Region.objects.in_bulk(codes, field_name="code")
    # One hash for all: they share a published password, and hashing is what makes a run slow.
    # Not flagged must_change_password: a demo account is shared by everyone trying the demo,
    # and the first to sign in would lock the others out by choosing a password of their own.
    # A real account gets its first password from an administrator, and that one is flagged.
    password = make_password(settings.DEMO_PASSWORD)
    for username, role, region_code, full_name in missing:
        user = User(
            username=username,
            role=role,
            region=regions[region_code] if region_code else None,
            full_name=full_name,
            password=password,
        )
        user.full_clean()
        user.save()
    return len(missing)


def _demo_enterprises():
    """The unsaved demo enterprises, identical on every call: at least one in every county."""
    rng = random.Random(SEED)
    industries = Industry.objects.in_bulk(list(INDUSTRIES), field_name="code")
    units = Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("path")
    counties = {}
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("path"):
        counties.setdefault(county.parent_id, []).append(county)
    names, codes = set(), set()
    enterprises = []
    for unit in units:
        short_name, area_code, count, local_industries = PREFECTURES[unit.code]
        homes = counties.get(unit.id) or [unit]
        # Every county first, then the rest weighted towards urban districts (市辖区).
        placed = list(homes) + rng.choices(
            homes, weights=[3 if h.name.endswith("区") else 1 for h in homes], k=count - len(homes)
        )
        for home in placed:
            code = _industry_code(rng, local_industries)
            enterprise = _enterprise(
                rng, unit, home, short_name, area_code, industries[code], names, codes
            )
            enterprises.append(enterprise)
    return enterprises


def _industry_code(rng, local_industries):
    if rng.random() < LOCAL_INDUSTRY_SHARE:
        return rng.choice(local_industries)
    codes = list(INDUSTRIES)
    return rng.choices(codes, weights=[INDUSTRIES[c][0] for c in codes])[0]


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _enterprise(rng, unit, home, short_name, area_code, industry, names, codes):
    _weight, words, offerings = INDUSTRIES[industry.code]
    place = short_name
    stem = home.name[:-1]
    # Firms of a county or county-level city often carry its name (陇西县 → 陇西); districts,
    # autonomous counties and one-character names (漳县) read better with the unit's name.
    if (
        home.level == RegionLevel.COUNTY
        and home.name[-1] in "县市"
        and not home.name.endswith("自治县")
        and len(stem) >= 2
        and rng.random() < 0.4
    ):
        place = stem
    suffix = "股份有限公司" if rng.random() < 0.12 else "有限公司"
    name = f"{place}{rng.choice(TRADE_NAMES)}{rng.choice(words)}{suffix}"
    while name in names:
        name = f"{place}{rng.choice(TRADE_NAMES)}{rng.choice(words)}{suffix}"
    names.add(name)

    if not unit.is_standard:
        division = LZXQ_REGISTRATION_CODE
    elif home is unit or rng.random() < 0.3:
        division = unit.code  # registered with the prefecture's market regulator
    else:
        division = home.code
    uscc = make_uscc(division, rng)
    while uscc in codes:
        uscc = make_uscc(division, rng)
    codes.add(uscc)

    main_products, niche_market = rng.choice(offerings)
    year = rng.choices(FOUNDING_YEARS, weights=FOUNDING_YEAR_WEIGHTS)[0]
    founded_on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    where = unit.name if home is unit else f"{unit.name}{home.name}"
    address = f"甘肃省{where}{rng.choice(PARKS)}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
    if rng.random() < 0.5:
        phone = f"{area_code}-{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"
    else:
        phone = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
    return Enterprise(
        uscc=uscc,
        name=name,
        legal_representative=_person(rng),
        founded_on=founded_on,
        region=home,
        industry=industry,
        main_products=main_products,
        niche_market=niche_market,
        address=address,
        contact_name=_person(rng),
        contact_phone=phone,
        contact_email=f"office{len(codes):03d}@example.com" if rng.random() < 0.6 else "",
    )
