"""GB/T 4754-2017 classes (小类): the loaded table, and enterprises that carry a class through the
service, the API, the import and the page, while records with a division only keep working."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.choices import ImportKind
from registry.models import Enterprise, Industry, IndustryClass
from registry.services import (
    enterprise_register,
    enterprise_update,
    import_job_confirm,
    import_job_create,
)
from registry.sizeclass import size_class
from tests.factories.registry import EnterpriseFactory
from tests.registry.test_api import ENTERPRISES, registration
from tests.registry.test_imports import enterprise_file, enterprise_record
from tests.registry.test_services import registration as service_registration

pytestmark = pytest.mark.django_db


def test_the_whole_2017_table_is_loaded():
    classes = IndustryClass.objects.select_related("division")
    assert classes.count() == 1381
    assert len({c.group_code for c in classes}) == 473
    assert len({c.division_id for c in classes}) == 97
    assert len({c.division.section for c in classes}) == 20
    named = {c.code: (c.name, c.division.code, c.group_code) for c in classes}
    assert named["3511"] == ("矿山机械制造", "C35", "351")
    assert named["3513"][0] == "深海石油钻探设备制造"
    assert named["6520"][:2] == ("集成电路设计", "I65")
    assert named["3874"][:2] == ("智能照明器具制造", "C38")


def test_a_class_given_alone_sets_its_division(county_user):
    enterprise = enterprise_register(
        actor=county_user,
        **service_registration(
            industry=None, industry_class=IndustryClass.objects.get(code="3511")
        ),
    )

    assert (enterprise.industry.code, enterprise.industry_class.code) == ("C35", "3511")


def test_a_class_outside_the_division_is_refused(county_user):
    enterprise = EnterpriseFactory(industry=Industry.objects.get(code="C35"))

    with pytest.raises(ValidationError) as err:
        enterprise_update(
            actor=county_user, enterprise=enterprise, industry=Industry.objects.get(code="C34"),
            industry_class=IndustryClass.objects.get(code="3511"),
        )
    assert err.value.error_dict["industry_class"][0].code == "industry_class_other_division"


def test_existing_records_keep_their_division_and_size_class_reads_the_division(county_user):
    enterprise = EnterpriseFactory(industry=Industry.objects.get(code="C35"))
    assert enterprise.industry_class is None

    enterprise_update(actor=county_user, enterprise=enterprise,
                      industry_class=IndustryClass.objects.get(code="3514"))

    enterprise.refresh_from_db()
    assert enterprise.industry.code == "C35"
    assert size_class(enterprise.industry.code, employees=300, revenue=2000, assets=None) == (
        "medium"
    )


def test_the_api_takes_a_class_code_and_shows_its_name(as_user, county_user):
    body = registration(industry_class="6520")
    del body["industry"]

    response = as_user(county_user).post(ENTERPRISES, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["industry"], data["industry_class"], data["industry_class_name"]) == (
        "I65", "6520", "集成电路设计",
    )


def test_the_import_takes_a_class_code_and_a_division_only_row_keeps_the_class(county_user):
    record = enterprise_record(industry="3511 矿山机械制造")
    job = import_job_create(actor=county_user, kind=ImportKind.ENTERPRISES,
                            upload=enterprise_file(record))
    assert job.errors == []
    import_job_confirm(actor=county_user, job=job)
    enterprise = Enterprise.objects.get(uscc=record["uscc"])
    assert (enterprise.industry.code, enterprise.industry_class.code) == ("C35", "3511")

    again = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file({**record, "industry": "C35 专用设备制造业"}),
    )

    assert again.errors == []
    assert again.summary["unchanged"] == 1


def test_the_page_shows_the_class_name(client, county_user):
    enterprise = EnterpriseFactory(
        industry=Industry.objects.get(code="C35"),
        industry_class=IndustryClass.objects.get(code="3511"),
    )
    client.force_login(county_user)

    page = client.get(reverse("registry:enterprise-detail", args=[enterprise.uscc]))

    assert "3511 矿山机械制造" in page.content.decode()
