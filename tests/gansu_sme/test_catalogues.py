"""The translation catalogues are whole and compiled: a Chinese page never falls back to the
English source text because a message was left untranslated, marked fuzzy or not compiled."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))

def _entries(po, *flags):
    out = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    # The header entry (msgid "") is always listed; count only real messages.
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_both_languages_have_a_catalogue():
    assert {po.parts[-3] for po in CATALOGUES} == {"zh_Hans", "en"}


def test_every_message_has_a_chinese_text():
    po = LOCALE / "zh_Hans/LC_MESSAGES/django.po"
    assert _entries(po, "--untranslated") == []
    assert _entries(po, "--only-fuzzy") == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-3])
def test_compiled_catalogue_matches_its_source(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"{po.with_suffix('.mo')} is stale: run make messages"
    )
