"""knox's own token table is unused since tokens are accounts.ApiToken (0005 carried its rows
over and emptied it). Left in place, its foreign key to the users' table makes every flush of
that table fail (a transactional test's teardown among them), so it goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_user_delete_history"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", migrations.RunSQL.noop),
    ]
