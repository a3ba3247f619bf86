"""A notice names its issuing authority, contact person and telephone and carries its
publication date (issue 11 part 8). Notices published before take the province's
department as issuer and the day they were published; their contact stays blank."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0009_rule_texts_in_english_complete'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='notice',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='notice',
            name='update_update',
        ),
        migrations.AddField(
            model_name='notice',
            name='contact_person',
            field=models.CharField(default='', max_length=50, verbose_name='contact person'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notice',
            name='issuer',
            field=models.CharField(default='甘肃省工业和信息化厅', max_length=100, verbose_name='issuing authority'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notice',
            name='published_on',
            field=models.DateField(null=True, verbose_name='publication date'),
        ),
        migrations.AddField(
            model_name='notice',
            name='telephone',
            field=models.CharField(default='', max_length=30, verbose_name='telephone'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='noticeevent',
            name='contact_person',
            field=models.CharField(default='', max_length=50, verbose_name='contact person'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='noticeevent',
            name='issuer',
            field=models.CharField(default='甘肃省工业和信息化厅', max_length=100, verbose_name='issuing authority'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='noticeevent',
            name='published_on',
            field=models.DateField(null=True, verbose_name='publication date'),
        ),
        migrations.AddField(
            model_name='noticeevent',
            name='telephone',
            field=models.CharField(default='', max_length=30, verbose_name='telephone'),
            preserve_default=False,
        ),
        # Dated the day each notice was published, in Beijing time; the triggers are off here,
        # so this writes no history of its own.
        migrations.RunSQL(
            [
                "UPDATE certification_notice SET published_on ="
                " (published_at AT TIME ZONE 'Asia/Shanghai')::date",
                "UPDATE certification_noticeevent SET published_on ="
                " (published_at AT TIME ZONE 'Asia/Shanghai')::date",
            ],
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='notice',
            name='published_on',
            field=models.DateField(verbose_name='publication date'),
        ),
        migrations.AlterField(
            model_name='noticeevent',
            name='published_on',
            field=models.DateField(verbose_name='publication date'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='notice',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "certification_noticeevent" ("body", "campaign_id", "closed_at", "contact_person", "ends_on", "id", "issuer", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "published_at", "published_by_id", "published_on", "starts_on", "status", "telephone", "title") VALUES (NEW."body", NEW."campaign_id", NEW."closed_at", NEW."contact_person", NEW."ends_on", NEW."id", NEW."issuer", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."published_at", NEW."published_by_id", NEW."published_on", NEW."starts_on", NEW."status", NEW."telephone", NEW."title"); RETURN NULL;', hash='67874bcf7a600fc8496dc7f53e1829037184d8ae', operation='INSERT', pgid='pgtrigger_insert_insert_4acb8', table='certification_notice', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='notice',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "certification_noticeevent" ("body", "campaign_id", "closed_at", "contact_person", "ends_on", "id", "issuer", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "published_at", "published_by_id", "published_on", "starts_on", "status", "telephone", "title") VALUES (NEW."body", NEW."campaign_id", NEW."closed_at", NEW."contact_person", NEW."ends_on", NEW."id", NEW."issuer", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."published_at", NEW."published_by_id", NEW."published_on", NEW."starts_on", NEW."status", NEW."telephone", NEW."title"); RETURN NULL;', hash='cae5c43d50b5177e8d9563fe2f514a1f349fd948', operation='UPDATE', pgid='pgtrigger_update_update_cb3af', table='certification_notice', when='AFTER')),
        ),
    ]
