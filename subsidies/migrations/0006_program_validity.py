"""Programs get a validity period: the 2018 plan's programs (甘工信发〔2018〕551号) run
2018–2020, as the plan does; the years after are new rows of the same kind, open-ended, with
the same amounts until the province edits them. At most one row per kind covers a year."""

import django.contrib.postgres.constraints
import django.db.models.functions.comparison
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

PLAN_LAST_YEAR = 2020


def split(apps, schema_editor):
    Program = apps.get_model("subsidies", "Program")
    ProgramPair = apps.get_model("subsidies", "ProgramPair")
    successors = {}
    for program in Program.objects.filter(first_year__lte=PLAN_LAST_YEAR, last_year__isnull=True):
        # Closed first: the new row's years would overlap the open-ended one's.
        program.last_year = PLAN_LAST_YEAR
        program.save(update_fields=["last_year"])
        later = Program.objects.create(
            code=f"{program.code}-2021"[:40], name=f"{program.name}（2021年起）"[:100],
            kind=program.kind, payee=program.payee, amount=program.amount,
            once_per_firm=program.once_per_firm, legal_basis=program.legal_basis,
            first_year=PLAN_LAST_YEAR + 1, last_year=None, is_active=program.is_active,
        )
        successors[program.pk] = later
    for pair in ProgramPair.objects.all():
        first, second = successors.get(pair.first_id), successors.get(pair.second_id)
        if first is not None and second is not None:
            low, high = sorted((first, second), key=lambda p: p.pk)
            ProgramPair.objects.get_or_create(
                first=low, second=high, defaults={"highest_only": pair.highest_only}
            )


class Migration(migrations.Migration):

    dependencies = [
        ('subsidies', '0005_receiving_accounts'),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.AlterField(
            model_name='program',
            name='kind',
            field=models.CharField(choices=[('provincial_certificate', 'Provincial certification award'), ('national_certificate', 'National little giant award'), ('city_scale_up', 'City reward per net new above-scale firm'), ('project', 'Project-based special support')], max_length=24, verbose_name='kind'),
        ),
        migrations.RunPython(split, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='program',
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(expressions=[(models.F('kind'), '='), (models.Func(models.F('first_year'), django.db.models.functions.comparison.Coalesce(models.F('last_year'), models.Value(9999)), models.Value('[]'), function='int4range'), '&&')], name='subsidies_program_one_per_kind_and_year'),
        ),
    ]
