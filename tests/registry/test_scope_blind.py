"""A credit code registered in another region answers as a code of one's own region does, on the
form, the API and the Excel import, and the firm's own officials are told (docs/SECURITY.md §5).

``sent`` (tests/registry/conftest.py) records the notification tasks handed to the broker.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.choices import Role
from demo.codes import make_uscc
from registry.choices import ImportKind, ImportStatus
from registry.imports import ENTERPRISE_COLUMNS
from registry.models import Enterprise, Industry
from registry.services import enterprise_register, import_job_create
from registry.services.enterprises import CODE_TAKEN
from reports.choices import NotificationKind
from reports.models import Notification
from reports.services.notifications import notifications_credit_code_claimed
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.workbooks import rows_of, sheet_upload

ENTERPRISES = reverse("registry-api:enterprise-list")


@pytest.fixture
def own(db):
    """A firm of 城关区, where the county user works."""
    return EnterpriseFactory(name="兰州城关精密机械有限公司", region=region("620102"))


@pytest.fixture
def elsewhere(db):
    """A firm of 秦州区, 天水市: outside the county user's region."""
    return EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502"))


def api_body(code):
    return {
        "uscc": code, "name": "兰州华新精密机械有限公司", "legal_representative": "马建国",
        "founded_on": "2014-03-12", "region": "620102", "industry": "C34",
        "main_products": "数控卧式车床", "niche_market": "大型数控车床",
        "contact_email": "lina@example.cn",
    }


def form_body(code):
    return {
        "uscc": code, "name": "兰州新材料科技有限公司", "legal_representative": "李娜",
        "founded_on": "2015-03-01", "region": region("620102").pk,
        "industry": Industry.objects.get(code="C35").pk, "main_products": "稀土永磁材料",
        "niche_market": "稀土永磁电机转子", "contact_email": "wq@example.cn",
    }


def test_the_api_answers_a_firm_of_another_region_as_one_of_its_own(
    as_user, county_user, own, elsewhere, sent
):
    client = as_user(county_user)

    mine = client.post(ENTERPRISES, api_body(own.uscc), format="json")
    theirs = client.post(ENTERPRISES, api_body(elsewhere.uscc), format="json")

    assert theirs.status_code == mine.status_code == 400
    assert theirs.json() == mine.json()
    assert theirs.json()["code"] == "uscc_taken"
    assert "已登记" not in theirs.json()["fields"]["uscc"][0]
    # Only the attempt on another region's firm is told, and only once.
    assert sent == [(elsewhere.pk, county_user.pk)]


def test_the_form_answers_a_firm_of_another_region_as_one_of_its_own(
    client, county_user, own, elsewhere, sent
):
    client.force_login(county_user)
    url = reverse("registry:enterprise-create")

    mine = client.post(url, form_body(own.uscc))
    theirs = client.post(url, form_body(elsewhere.uscc))

    assert theirs.status_code == mine.status_code
    assert theirs.context["form"].errors == mine.context["form"].errors
    assert list(theirs.context["form"].errors) == ["uscc"]
    assert theirs.context["form"].has_error("uscc", "uscc_taken")
    assert sent == [(elsewhere.pk, county_user.pk)]
    assert Enterprise.objects.count() == 2


def test_the_import_answers_a_firm_of_another_region_as_the_form_does(
    county_user, elsewhere, sent
):
    record = {
        "uscc": elsewhere.uscc, "name": "兰州新材料科技有限公司", "legal_representative": "李娜",
        "founded_on": datetime.date(2015, 3, 1), "region": "620102 兰州市城关区",
        "industry": "C35 专用设备制造业", "main_products": "稀土永磁材料",
        "niche_market": "稀土永磁电机转子", "contact_email": "wq@example.cn",
    }
    upload = sheet_upload(ENTERPRISE_COLUMNS, rows_of(ENTERPRISE_COLUMNS, [record]))

    job = import_job_create(actor=county_user, kind=ImportKind.ENTERPRISES, upload=upload)

    assert job.status == ImportStatus.INVALID
    [error] = job.errors
    with translation.override("zh-hans"):
        assert (error["code"], error["message"]) == ("uscc_taken", str(CODE_TAKEN))
    assert sent == [(elsewhere.pk, county_user.pk)]


def test_a_code_unknown_anywhere_registers_and_tells_nobody(county_user, sent):
    enterprise_register(
        actor=county_user, uscc_code=make_uscc("620102"), name="兰州新公司",
        legal_representative="马建国", founded_on=datetime.date(2014, 3, 12),
        region=region("620102"), industry=Industry.objects.get(code="C34"),
        main_products="数控卧式车床", niche_market="大型数控车床",
    )

    assert sent == []


def test_the_firms_own_officials_and_the_province_are_told_who_tried(
    county_user, elsewhere, province_user
):
    qinzhou = UserFactory(username="qinzhou", role=Role.COUNTY_STAFF, region=region("620502"))
    tianshui = UserFactory(username="tianshui", role=Role.CITY_STAFF, region=region("620500"))
    maiji = UserFactory(username="maiji", role=Role.COUNTY_STAFF, region=region("620503"))

    told = notifications_credit_code_claimed(enterprise_id=elsewhere.pk, actor_id=county_user.pk)
    again = notifications_credit_code_claimed(enterprise_id=elsewhere.pk, actor_id=county_user.pk)

    notes = Notification.objects.filter(kind=NotificationKind.CREDIT_CODE_CLAIMED)
    assert (told, again) == (3, 0)
    assert {n.user for n in notes} == {qinzhou, tianshui, province_user}
    assert maiji not in {n.user for n in notes}
    text = notes.first().text
    assert elsewhere.name in text and elsewhere.uscc in text and "城关区" in text
