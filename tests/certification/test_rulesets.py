"""The seeded rule sets in the database: what the migration wrote, re-running it, picking the
version in force, and the invariants the rows keep."""

import dataclasses
import datetime
import importlib
import json
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from certification import rubric
from certification.models import RuleItem, RuleSet
from certification.selectors import ruleset_current
from gansu_sme.exceptions import DomainError
from tests.factories.applications import CampaignFactory
from tests.factories.certification import seeded_rules

pytestmark = pytest.mark.django_db

seed = importlib.import_module("certification.migrations.0002_seed_rule_sets").seed
english = importlib.import_module("certification.migrations.0007_gansu_zjtx_rule_set")
english_more = importlib.import_module(
    "certification.migrations.0009_rule_texts_in_english_complete"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _english_title(title_en):
    # 0007 and 0008 replace the Chinese names the 2022 seed left in English titles.
    title_en = english._title_en(title_en)
    return english_more.TITLES_EN.get(title_en, title_en)
NATIONAL = {
    "innovative": "miit-2022-innovative",
    "zjtx": "miit-2022-zjtx",
    "little_giant": "miit-2022-little-giant",
}


def _without_english_tiers(rules):
    # 0007 adds the English of each tier (label_en); the engine never reads it.
    def strip(bands):
        return tuple({k: v for k, v in band.items() if k != "label_en"} for band in bands)

    return dataclasses.replace(
        rules, items=tuple(dataclasses.replace(i, bands=strip(i.bands)) for i in rules.items)
    )


eligibility = importlib.import_module(
    "certification.migrations.0012_sme_and_certificate_conditions"
)


def _with_eligibility(rules):
    """The 2022 seed as 0012 changed it: the SME condition added, the 小巨人 C1 automatic."""
    items = list(rules.items)
    if rules.code in eligibility.SME_RULESETS:
        fields = {k: v for k, v in eligibility.SME_CONDITION.items()
                  if k not in ("description", "description_en")}
        items.append(rubric.Item(**fields))
    items = [
        dataclasses.replace(item, mode="automatic",
                            criteria=eligibility.CERTIFICATE["criteria"])
        if rules.code == "miit-2022-little-giant" and item.code == "C1" else item
        for item in items
    ]
    return dataclasses.replace(rules, items=tuple(items))


@pytest.mark.parametrize("kind", ["innovative", "zjtx", "little_giant"])
def test_the_migration_seeded_the_rule_sets_the_engine_tests_read(kind):
    ruleset = RuleSet.objects.get(code=NATIONAL[kind])

    expected = _with_eligibility(seeded_rules(kind))
    expected = dataclasses.replace(expected, items=tuple(
        dataclasses.replace(item, title_en=_english_title(item.title_en))
        for item in expected.items
    ))
    assert _without_english_tiers(ruleset.as_rules()) == expected
    assert ruleset.legal_basis.startswith("工信部企业〔2022〕63号")
    assert ruleset.effective_from == datetime.date(2022, 8, 1)
    for item in ruleset.items.all():
        item.full_clean()


def test_seeding_again_changes_nothing_and_keeps_the_provinces_wording():
    i9 = RuleItem.objects.get(ruleset__code="miit-2022-zjtx", code="I9")
    i9.description = "甘肃特色指标：①属于省重点产业链；②……"
    i9.save()
    i1 = RuleItem.objects.get(ruleset__code="miit-2022-zjtx", code="I1")
    i1.bands = [{"min": 0, "points": 5, "label": "changed by hand"}]
    i1.save()
    RuleSet.objects.filter(code="miit-2022-innovative").update(is_active=False)
    before = (RuleSet.objects.count(), RuleItem.objects.count())

    seed(apps, None)
    seed(apps, None)
    eligibility.forwards(apps, None)

    assert (RuleSet.objects.count(), RuleItem.objects.count()) == before
    c1 = RuleItem.objects.get(ruleset__code="miit-2022-little-giant", code="C1")
    assert c1.mode == "automatic"
    i9.refresh_from_db()
    assert i9.description == "甘肃特色指标：①属于省重点产业链；②……"
    i1.refresh_from_db()
    assert i1.bands[0] == {"min": 0.8, "max": None, "points": 5, "label": "80%及以上"}
    assert not RuleSet.objects.get(code="miit-2022-innovative").is_active


def test_a_rule_item_edit_is_kept_in_its_history():
    i9 = RuleItem.objects.get(ruleset__code="miit-2022-zjtx", code="I9")
    i9.description = "甘肃特色指标"
    i9.save()

    events = RuleItem.pgh_event_model.objects.filter(pgh_obj=i9).order_by("pgh_id")
    assert [e.pgh_label for e in events][-1] == "update"
    assert events.last().description == "甘肃特色指标"


def _new_version(**fields):
    return RuleSet.objects.create(
        **{
            "code": "miit-2026-zjtx",
            "kind": "zjtx",
            "title": "专精特新中小企业认定标准（2026年版）",
            "legal_basis": "工信部企业〔2026〕2号",
            "effective_from": datetime.date(2026, 1, 1),
            "pass_mark": 60,
            **fields,
        }
    )


def test_the_rule_set_in_force_is_the_active_one_whose_period_holds_the_date():
    assert ruleset_current("zjtx", on=datetime.date(2023, 3, 1)).code == "miit-2022-zjtx"
    assert ruleset_current("zjtx", on=datetime.date(2026, 11, 30)).code == "miit-2022-zjtx"
    RuleSet.objects.filter(code="gansu-2026-zjtx").update(
        effective_until=datetime.date(2026, 12, 31)
    )
    newer = _new_version(effective_from=datetime.date(2027, 1, 1))

    assert ruleset_current("zjtx", on=datetime.date(2026, 12, 31)).code == "gansu-2026-zjtx"
    assert ruleset_current("zjtx", on=datetime.date(2027, 1, 1)) == newer
    newer.is_active = False
    newer.save()
    with pytest.raises(DomainError) as caught:
        ruleset_current("zjtx", on=datetime.date(2027, 6, 1))
    assert caught.value.code == "no_ruleset_in_force"


def test_a_date_in_two_active_periods_is_refused_naming_both():
    _new_version(effective_from=datetime.date(2027, 1, 1))

    with pytest.raises(DomainError) as caught:
        ruleset_current("zjtx", on=datetime.date(2027, 1, 1))

    assert caught.value.code == "ruleset_periods_overlap"
    assert "gansu-2026-zjtx" in str(caught.value.message)
    assert "miit-2026-zjtx" in str(caught.value.message)


def test_the_2022_period_ends_the_day_before_the_gansu_version_starts():
    assert RuleSet.objects.get(code="miit-2022-zjtx").effective_until == datetime.date(
        2026, 11, 30
    )


def test_no_rule_set_is_in_force_before_the_first_one_took_effect():
    with pytest.raises(DomainError) as caught:
        ruleset_current("little_giant", on=datetime.date(2022, 7, 31))
    assert caught.value.code == "no_ruleset_in_force"


def test_the_current_rule_set_comes_with_its_items(django_assert_num_queries):
    with django_assert_num_queries(2):
        rules = ruleset_current("zjtx", on=datetime.date(2026, 1, 1)).as_rules()
    assert len(rules.items) == 27


def test_every_rule_text_has_an_english_wording_without_chinese():
    for item in RuleItem.objects.select_related("ruleset"):
        where = f"{item.ruleset.code} {item.code}"
        assert item.title_en and not CJK.search(item.title_en), where
        assert bool(item.description_en) == bool(item.description), where
        assert not CJK.search(item.description_en), where
        for band in item.bands:
            if item.mode == "manual":
                assert band["label_en"] and not CJK.search(band["label_en"]), where
    for ruleset in RuleSet.objects.all():
        assert ruleset.title_en and not CJK.search(ruleset.title_en)


def test_the_gansu_version_is_in_force_from_december_2026():
    assert ruleset_current("zjtx", on=datetime.date(2026, 11, 30)).code == "miit-2022-zjtx"
    gansu = ruleset_current("zjtx", on=datetime.date(2026, 12, 1))
    assert gansu.code == "gansu-2026-zjtx"
    assert len(gansu.as_rules().items) == 29
    assert rubric.rules_errors(gansu.as_rules()) == []


def test_two_active_versions_of_a_kind_cannot_share_an_effective_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_version(effective_from=datetime.date(2022, 8, 1))


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "scored", "max_points": None}, "points_only_when_scored"),
        ({"kind": "veto", "max_points": 5}, "points_only_when_scored"),
        ({"kind": "veto", "waives": "score"}, "waives_only_direct_routes"),
        ({"kind": "direct_route", "waives": ""}, "waives_only_direct_routes"),
    ],
)
def test_rule_items_keep_their_shape_in_the_database(fields, constraint):
    ruleset = RuleSet.objects.get(code="miit-2022-zjtx")
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        RuleItem.objects.create(
            ruleset=ruleset, code="X1", position=99, mode="manual", group="veto",
            title="x", title_en="x", **fields
        )


def test_a_rule_item_with_malformed_bands_does_not_validate():
    item = RuleItem.objects.get(ruleset__code="miit-2022-zjtx", code="I7")
    item.bands = [{"min": 0.1, "max": 0.05, "points": 11, "label": "x"}]

    with pytest.raises(ValidationError) as caught, translation.override("en"):
        item.full_clean()
    assert any("min not below max" in message for message in caught.value.messages)
    assert any("points between 0 and 10.0" in message for message in caught.value.messages)


def test_the_province_rewords_the_local_indicator_in_the_admin(admin_client):
    ruleset = RuleSet.objects.get(code="miit-2022-zjtx")
    CampaignFactory(ruleset=ruleset)  # in use: only the wording can change
    items = list(ruleset.items.all())
    url = reverse("admin:certification_ruleset_change", args=[ruleset.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "title": ruleset.title,
        "legal_basis": ruleset.legal_basis,
        "notes": ruleset.notes,
        "is_active": "on",
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    local = "甘肃特色指标：属于省重点产业链（5分）……"
    for index, item in enumerate(items):
        description = local if item.code == "I9" else item.description
        data.update({
            f"items-{index}-id": item.pk,
            f"items-{index}-ruleset": ruleset.pk,
            f"items-{index}-title": item.title,
            f"items-{index}-title_en": item.title_en,
            f"items-{index}-description": description,
            f"items-{index}-description_en": item.description_en,
        })

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    i9 = RuleItem.objects.get(ruleset=ruleset, code="I9")
    assert i9.description == local
    assert i9.max_points == 15


def test_evaluations_are_read_only_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:certification_evaluation_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:certification_evaluation_add")).status_code == 403


def _change_data(ruleset, items, **overrides):
    """The admin change form's POST for a rule set no campaign uses (every field editable)."""
    data = {
        "kind": ruleset.kind,
        "title": ruleset.title,
        "title_en": ruleset.title_en,
        "legal_basis": ruleset.legal_basis,
        "effective_from": ruleset.effective_from.isoformat(),
        "pass_mark": ruleset.pass_mark or "",
        "group_minimums": json.dumps(ruleset.group_minimums),
        "notes": ruleset.notes,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    if ruleset.is_active:
        data["is_active"] = "on"
    for index, item in enumerate(items):
        for name in ("code", "position", "kind", "mode", "group", "title", "title_en",
                     "description", "description_en", "metric", "waives"):
            data[f"items-{index}-{name}"] = getattr(item, name)
        data[f"items-{index}-max_points"] = item.max_points or ""
        for name in ("bands", "alternatives", "criteria"):
            data[f"items-{index}-{name}"] = json.dumps(getattr(item, name), ensure_ascii=False)
        data[f"items-{index}-id"] = item.pk
        data[f"items-{index}-ruleset"] = ruleset.pk
    data.update(overrides)
    return data


def test_the_province_makes_a_new_version_and_changes_its_local_indicators(admin_client):
    gansu = RuleSet.objects.get(code="gansu-2026-zjtx")
    CampaignFactory(ruleset=gansu)
    changelist = reverse("admin:certification_ruleset_changelist")

    response = admin_client.post(
        changelist, {"action": "make_new_version", "_selected_action": [gansu.pk]}
    )

    assert response.status_code == 302
    copy = RuleSet.objects.exclude(pk=gansu.pk).get(code__startswith="gansu-2026-zjtx-")
    assert not copy.is_active and copy.items.count() == gansu.items.count()
    items = list(copy.items.all())
    index = next(i for i, item in enumerate(items) if item.code == "I9.1")
    bands = [dict(band, points=5 if band["points"] == 6 else band["points"])
             for band in items[index].bands]
    url = reverse("admin:certification_ruleset_change", args=[copy.pk])
    data = _change_data(copy, items, **{
        f"items-{index}-bands": json.dumps(bands, ensure_ascii=False),
        f"items-{index}-max_points": "5",
        "effective_from": "2027-01-01",
        "is_active": "on",
    })

    # The version in force until then gets its end date, so one period holds each day.
    RuleSet.objects.filter(pk=gansu.pk).update(effective_until=datetime.date(2026, 12, 31))
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    copy.refresh_from_db()
    i91 = copy.items.get(code="I9.1")
    assert (copy.is_active, i91.max_points, i91.bands[0]["points"]) == (True, 5, 5)
    # The version campaigns use is unchanged.
    assert gansu.items.get(code="I9.1").max_points == 6
    assert ruleset_current("zjtx", on=datetime.date(2027, 1, 1)) == copy


def test_a_version_in_use_takes_only_rewording(admin_client):
    gansu = RuleSet.objects.get(code="gansu-2026-zjtx")
    CampaignFactory(ruleset=gansu)
    url = reverse("admin:certification_ruleset_change", args=[gansu.pk])

    page = admin_client.get(url).content.decode()

    assert 'name="items-0-title"' in page
    assert 'name="items-0-bands"' not in page and 'name="pass_mark"' not in page


def test_a_new_version_that_breaks_the_rules_is_kept_inactive(admin_client):
    gansu = RuleSet.objects.get(code="gansu-2026-zjtx")
    admin_client.post(reverse("admin:certification_ruleset_changelist"),
                      {"action": "make_new_version", "_selected_action": [gansu.pk]})
    copy = RuleSet.objects.get(code__startswith="gansu-2026-zjtx-")
    items = list(copy.items.all())
    url = reverse("admin:certification_ruleset_change", args=[copy.pk])

    # No pass mark while the C4 condition reads the score test.
    admin_client.post(url, _change_data(copy, items, pass_mark="", is_active="on",
                                        effective_from="2027-01-01"))

    copy.refresh_from_db()
    assert not copy.is_active
