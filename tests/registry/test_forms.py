"""The registry's forms show every error in one round: each field's, the period's as a whole
and the ones the services would raise, all on the first submission."""

import pytest
from django.urls import reverse

from registry.forms.enterprises import EnterpriseRegisterForm
from registry.models import Enterprise, Industry, MonitoringReport
from registry.uscc import check_character
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db


def monitoring_data(**overrides):
    data = {"period_kind": "year", "year": "2024", "period": "0", "operating_revenue": "2400"}
    data.update(overrides)
    return data


def test_every_refused_figure_and_the_period_show_in_the_first_round(client, county_user):
    firm = EnterpriseFactory()
    client.force_login(county_user)

    response = client.post(
        reverse("registry:monitoring-create", args=[firm.uscc]),
        monitoring_data(
            period_kind="month", period="13", operating_revenue="abc", employees="-5",
            cnc_ratio="120", rd_expense="1.234",
        ),
    )

    form = response.context["form"]
    assert form.has_error("period", "period_out_of_range")
    assert form.has_error("operating_revenue", "not_a_number")
    assert form.has_error("employees", "not_a_count")
    assert form.has_error("cnc_ratio", "not_a_percentage")
    assert form.has_error("rd_expense", "too_many_decimals")
    # Each message sits beside its field and does not name the figure again.
    assert "营业收入" not in form.errors["operating_revenue"][0]
    assert not MonitoringReport.objects.exists()


def test_a_period_not_begun_and_a_figure_error_show_together(client, county_user):
    firm = EnterpriseFactory()
    client.force_login(county_user)

    response = client.post(
        reverse("registry:monitoring-create", args=[firm.uscc]),
        monitoring_data(year="2099", total_assets="-1"),
    )

    form = response.context["form"]
    assert form.has_error("period", "period_not_begun")
    assert form.has_error("total_assets", "negative")


def test_a_report_without_any_figure_is_refused_by_the_form(client, county_user):
    firm = EnterpriseFactory()
    client.force_login(county_user)

    response = client.post(
        reverse("registry:monitoring-create", args=[firm.uscc]),
        monitoring_data(operating_revenue=""),
    )

    assert response.context["form"].has_error("__all__", "no_figures")


def enterprise_data(**overrides):
    data = {
        "uscc": "91620102MA71T4YW8X",
        "name": "兰州新材料科技有限公司",
        "legal_representative": "李娜",
        "founded_on": "2015-03-01",
        "region": region("620102").pk,
        "industry": Industry.objects.get(code="C35").pk,
        "contact_email": "wq@example.cn",
    }
    data.update(overrides)
    return data


def test_a_registered_code_shows_with_the_other_field_errors_in_one_round(client, county_user):
    taken = EnterpriseFactory()
    client.force_login(county_user)

    response = client.post(
        reverse("registry:enterprise-create"),
        enterprise_data(uscc=taken.uscc.lower(), name="", contact_email="not an address"),
    )

    form = response.context["form"]
    assert form.has_error("uscc", "uscc_taken")
    assert form.has_error("name", "required")
    assert form.has_error("contact_email", "invalid")
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize("pair", ["91", "92", "93", "11", "51", "Y1", "N1", "A1"])
def test_the_form_accepts_defined_authority_and_type_pairs(county_user, pair):
    code = pair + "620102MA71T4YW8"
    form = EnterpriseRegisterForm(
        enterprise_data(uscc=code + check_character(code)), actor=county_user
    )
    form.is_valid()
    assert "uscc" not in form.errors


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("01620100719023721X", "uscc_authority"),
        ("Y2620100719023721U", "uscc_entity_type"),
        ("91620105 MA71T4YW8Q", "uscc_length"),
        ("91620105\tMA71T4YW8Q", "uscc_length"),
    ],
)
def test_the_form_refuses_undefined_pairs_and_inner_spaces(client, county_user, code, error):
    client.force_login(county_user)

    response = client.post(reverse("registry:enterprise-create"), enterprise_data(uscc=code))

    assert response.context["form"].has_error("uscc", error)
    assert not Enterprise.objects.exists()
