"""Rule sets by effective date, and rule sets as files: reading with every error located,
the dry run, atomic loading, and the 2026 rule set's file equal to the one in the database."""

import dataclasses
import datetime
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from certification.models import RuleItem, RuleSet
from certification.rubric.files import (
    RuleSetFileInvalid,
    canonical,
    dump_ruleset,
    read_ruleset,
)
from certification.selectors import ruleset_current, ruleset_document, ruleset_for_campaign
from certification.services.rulesets import CHECKED, CREATED, UNCHANGED, ruleset_load
from gansu_sme.exceptions import DomainError

pytestmark = pytest.mark.django_db

FILE = Path(__file__).resolve().parents[2] / "data" / "rulesets" / "gansu-2026-zjtx.yaml"
D = datetime.date


def gansu_text():
    return FILE.read_text(encoding="utf-8")


def revised(**changes):
    """The 2026 file as a new version: new code, later start, ``changes`` applied."""
    document = yaml.safe_load(gansu_text())
    document.update({"code": "miit-2027-zjtx", "effective_from": D(2027, 7, 1), **changes})
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


# --- the 2026 rule set as a file --------------------------------------------------------------


def test_the_exported_2026_file_is_the_rule_set_in_the_database():
    held = RuleSet.objects.get(code="gansu-2026-zjtx")

    spec = read_ruleset(gansu_text(), name=str(FILE))

    assert spec.document() == canonical(ruleset_document(held))
    assert spec.as_rules() == held.as_rules()
    assert ruleset_load(spec=spec).status == UNCHANGED


def test_loading_the_2026_file_afresh_gives_an_equal_rule_set():
    held = RuleSet.objects.get(code="gansu-2026-zjtx")
    before = canonical(ruleset_document(held))
    # Moved aside (inactive, another code), so the file loads as a new row.
    RuleSet.objects.filter(pk=held.pk).update(code="gansu-2026-zjtx-old", is_active=False)

    result = ruleset_load(spec=read_ruleset(gansu_text()))

    assert result.status == CREATED
    loaded = RuleSet.objects.get(code="gansu-2026-zjtx")
    assert loaded.pk != held.pk
    assert canonical(ruleset_document(loaded)) == before
    assert loaded.as_rules() == dataclasses.replace(
        RuleSet.objects.get(pk=held.pk).as_rules(), code="gansu-2026-zjtx"
    )
    for item in loaded.items.all():
        item.full_clean()


def test_the_export_command_writes_the_committed_file(tmp_path):
    out = tmp_path / "gansu.yaml"
    call_command("ruleset_export", "gansu-2026-zjtx", "-o", str(out))

    assert out.read_text(encoding="utf-8") == gansu_text()


# --- reading: every error at once, with its place ---------------------------------------------


def test_every_error_is_listed_with_its_line_and_path():
    text = gansu_text()
    text = text.replace("kind: zjtx\n", "kind: zjtx2\n", 1)
    text = text.replace("effective_from: 2026-12-01", "effective_from: 2026-13-01", 1)
    text = text.replace("  metric: years_in_niche\n", "  metric: years_in_nich\n", 1)
    text = text.replace("active: true\n", "active: true\ncolour: red\n", 1)
    lines = text.splitlines()

    with pytest.raises(RuleSetFileInvalid) as caught, translation.override("en"):
        read_ruleset(text, name="x.yaml")

    errors = {error.path: error for error in caught.value.errors}
    assert caught.value.code == "ruleset_file_invalid"
    assert set(errors) == {"kind", "effective_from", "colour", "items[0]"}
    assert "years_in_nich" in errors["items[0]"].message
    assert lines[errors["kind"].line - 1].startswith("kind: zjtx2")
    assert lines[errors["colour"].line - 1] == "colour: red"
    assert lines[errors["items[0]"].line - 1] == "- code: C1"


def test_band_and_whole_set_errors_are_located_at_their_items():
    document = yaml.safe_load(gansu_text())
    i1 = next(i for i, item in enumerate(document["items"]) if item["code"] == "I1")
    document["items"][i1]["bands"][0]["points"] = 99
    document["pass_mark"] = None
    document["items"][i1 + 1]["code"] = "I1"

    with pytest.raises(RuleSetFileInvalid) as caught, translation.override("en"):
        read_ruleset(yaml.safe_dump(document, allow_unicode=True))

    messages = [str(error) for error in caught.value.errors]
    assert any(f"items[{i1}]" in m and "points between 0 and" in m for m in messages)
    assert any("I1: The code is used twice." in m for m in messages)
    assert any("pass mark exactly when it has scored items" in m for m in messages)


def test_json_is_read_too_and_unreadable_text_says_where():
    text = json.dumps(yaml.safe_load(gansu_text()), ensure_ascii=False, default=str)
    assert read_ruleset(text).as_rules() == read_ruleset(gansu_text()).as_rules()

    with pytest.raises(RuleSetFileInvalid) as caught:
        read_ruleset("code: [unclosed\nkind: zjtx\n")
    assert caught.value.errors[0].line is not None


# --- loading ----------------------------------------------------------------------------------


def test_a_new_version_loads_as_data_and_is_in_force_from_its_date():
    RuleSet.objects.filter(code="gansu-2026-zjtx").update(effective_until=D(2027, 6, 30))

    result = ruleset_load(spec=read_ruleset(revised()))

    assert result.status == CREATED and result.warnings == []
    assert ruleset_current("zjtx", on=D(2027, 6, 30)).code == "gansu-2026-zjtx"
    assert ruleset_current("zjtx", on=D(2027, 7, 1)).code == "miit-2027-zjtx"
    assert RuleItem.objects.filter(ruleset=result.ruleset).count() == len(
        yaml.safe_load(gansu_text())["items"]
    )


def test_a_dry_run_shows_every_item_and_band_and_writes_nothing(tmp_path, capsys):
    before = (RuleSet.objects.count(), RuleItem.objects.count())
    path = tmp_path / "miit-2027-zjtx.yaml"
    path.write_text(revised(), encoding="utf-8")

    call_command("ruleset_load", str(path), "--dry-run")

    out = capsys.readouterr()
    assert (RuleSet.objects.count(), RuleItem.objects.count()) == before
    document = yaml.safe_load(gansu_text())
    for item in document["items"]:
        assert f"  {item['code']} " in out.out
        for band in item.get("bands", []):
            assert f"→ {band['points']} {band.get('label', '')}".rstrip() in out.out
    assert "dry run" in out.out
    # The period overlaps the 2026 rule set's, which has no end date yet.
    assert "warning" in out.err and "gansu-2026-zjtx" in out.err


def test_the_load_command_lists_every_error_and_loads_nothing(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(revised(kind="zjtx2", pass_mark=-1), encoding="utf-8")
    before = (RuleSet.objects.count(), RuleItem.objects.count())

    with pytest.raises(CommandError, match="2 error"):
        call_command("ruleset_load", str(path))

    err = capsys.readouterr().err
    assert "kind" in err and "pass_mark" in err
    assert (RuleSet.objects.count(), RuleItem.objects.count()) == before


def test_a_held_code_with_other_rules_is_refused():
    with pytest.raises(RuleSetFileInvalid) as caught:
        ruleset_load(spec=read_ruleset(revised(code="gansu-2026-zjtx")))

    assert [error.path for error in caught.value.errors] == ["code"]


def test_an_active_version_starting_the_same_day_as_another_is_refused():
    with pytest.raises(RuleSetFileInvalid) as caught:
        ruleset_load(spec=read_ruleset(revised(effective_from=D(2026, 12, 1))))

    assert [error.path for error in caught.value.errors] == ["effective_from"]


def test_loading_is_atomic(monkeypatch):
    from certification.services import rulesets

    def broken(objs, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rulesets.RuleItem.objects, "bulk_create", broken)
    before = RuleSet.objects.count()

    with pytest.raises(RuntimeError):
        ruleset_load(spec=read_ruleset(revised()))

    assert RuleSet.objects.count() == before
    assert not RuleSet.objects.filter(code="miit-2027-zjtx").exists()


def test_a_dry_run_returns_checked():
    assert ruleset_load(spec=read_ruleset(revised()), dry_run=True).status == CHECKED
    assert not RuleSet.objects.filter(code="miit-2027-zjtx").exists()


def test_the_dump_reads_back_to_the_same_document():
    held = RuleSet.objects.get(code="miit-2022-little-giant")
    text = dump_ruleset(ruleset_document(held))

    assert read_ruleset(text).document() == canonical(ruleset_document(held))


# --- the rule set in force on a campaign's dates ---------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (D(2026, 9, 1), D(2026, 11, 30), "miit-2022-zjtx"),
        (D(2026, 12, 1), D(2027, 1, 31), "gansu-2026-zjtx"),
        (D(2026, 11, 30), D(2026, 12, 1), "ruleset_periods_overlap"),
        (D(2022, 7, 1), D(2022, 7, 31), "no_ruleset_in_force"),
        (D(2022, 7, 31), D(2022, 8, 1), "ruleset_not_in_force_throughout"),
    ],
)
def test_a_campaign_window_takes_the_one_rule_set_in_force_throughout(opens, closes, expected):
    try:
        found = ruleset_for_campaign("zjtx", opens, closes).code
    except DomainError as error:
        found = error.code
    assert found == expected


def test_two_overlapping_rule_sets_refuse_a_date_in_both():
    ruleset_load(spec=read_ruleset(revised(effective_from=D(2027, 1, 1))))

    with pytest.raises(DomainError) as caught:
        ruleset_current("zjtx", on=D(2027, 3, 1))
    assert caught.value.code == "ruleset_periods_overlap"
    with pytest.raises(DomainError) as caught:
        ruleset_for_campaign("zjtx", D(2027, 3, 1), D(2027, 3, 31))
    assert caught.value.code == "ruleset_periods_overlap"
    assert "gansu-2026-zjtx" in str(caught.value.message)
    assert "miit-2027-zjtx" in str(caught.value.message)


def _campaign(province_user, **fields):
    from certification.services.campaigns import campaign_create

    return campaign_create(actor=province_user, **{
        "year": 2027, "kind": "provincial", "title": "2027年第1批",
        "opens_on": D(2027, 3, 1), "closes_on": D(2027, 3, 31), "county_review_days": 10,
        "city_recommendation_days": 10, "province_decision_days": 20, **fields,
    })


def test_a_campaign_takes_the_rule_set_in_force_or_is_refused(province_user):
    assert _campaign(province_user).ruleset.code == "gansu-2026-zjtx"

    with pytest.raises(DomainError) as caught:
        _campaign(province_user, ruleset=RuleSet.objects.get(code="miit-2022-zjtx"))
    assert caught.value.code == "ruleset_not_in_force"
    assert "ruleset" in caught.value.fields

    with pytest.raises(DomainError) as caught:
        _campaign(province_user, opens_on=D(2026, 11, 1), closes_on=D(2026, 12, 15))
    assert caught.value.code == "ruleset_periods_overlap"
    assert "ruleset" in caught.value.fields
