"""English wording 0007 left out: the 2022 indicator 9 note and two little-giant titles that
kept Chinese names. Wording the province has changed since the seed is left alone."""

from django.db import migrations

I9_NOTE = (
    "由省级中小企业主管部门结合本地产业发展和产业特色设置1–3个指标，满分15分。"
    "甘肃省的具体指标和评分办法在此说明，审核人员据此评分。"
)
I9_NOTE_EN = (
    "Set by the provincial SME authority: 1 to 3 indicators of local industry and its"
    " character, 15 points in all. Gansu's indicators are stated here, and reviewers score"
    " by them."
)
TITLES_EN = {
    "Already recognised as a provincial 专精特新 SME":
        "Already recognised as a provincial specialised and innovative SME",
    "Main product lies in the industrial 六基 fields, the ten key sectors of 制造强国 or the"
    " key fields of 网络强国":
        "Main product lies in the industrial six-foundations fields, the ten key sectors of the"
        " Made in China strategy or the key fields of the cyberpower strategy",
}


def forwards(apps, schema_editor):
    RuleItem = apps.get_model("certification", "RuleItem")
    RuleItem.objects.filter(
        ruleset__code="miit-2022-zjtx", code="I9", description=I9_NOTE, description_en=""
    ).update(description_en=I9_NOTE_EN)
    for seeded, english in TITLES_EN.items():
        RuleItem.objects.filter(title_en=seeded).update(title_en=english)


class Migration(migrations.Migration):
    dependencies = [("certification", "0008_srdi_labels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
