import datetime
import random

import factory

from demo.codes import make_uscc
from registry.models import Enterprise, Industry, Region

_rng = random.Random(20261126)


def region(code):
    return Region.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An enterprise in 城关区 unless told otherwise; written directly, not through services."""

    class Meta:
        model = Enterprise

    uscc = factory.LazyAttribute(
        lambda o: make_uscc(o.region.code if o.region.is_standard else "620100", _rng)
    )
    name = factory.Sequence(lambda n: f"甘肃测试科技有限公司{n:04d}")
    legal_representative = "张伟"
    founded_on = datetime.date(2012, 5, 18)
    region = factory.LazyFunction(lambda: Region.objects.get(code="620102"))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="C35"))
    main_products = "矿山专用设备"
    niche_market = "有色金属矿山破碎设备"
