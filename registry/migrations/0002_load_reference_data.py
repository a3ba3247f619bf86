"""Load Gansu's divisions (GB/T 2260 plus 兰州新区) and the GB/T 4754-2017 industry divisions.

Re-running is harmless: rows are matched by code and updated in place.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent.parent / "data"
LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def load(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    Industry = apps.get_model("registry", "Industry")

    with open(DATA / "gansu_divisions.csv", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: LEVEL_ORDER[r["level"]])
    by_code = {}
    for row in rows:
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        path = f"{parent.path}/{row['code']}" if parent else row["code"]
        region, _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent": parent,
                "path": path,
                "is_standard": row["code"].isdigit(),
            },
        )
        by_code[row["code"]] = region

    with open(DATA / "gbt4754_2017.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Industry.objects.update_or_create(
                code=f"{row['section']}{row['division']}",
                defaults={
                    "section": row["section"],
                    "section_name": row["section_name"],
                    "name": row["name"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
