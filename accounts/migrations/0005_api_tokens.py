"""API tokens become accounts.ApiToken (knox's swappable token model), with a name, a write flag
and an expiry by default.

Tokens issued before this migration (knox_authtoken) are carried over so that clients keep
working, but as read-only tokens expiring API_TOKEN_DAYS after the migration at the latest
(earlier if they already expired sooner): they were issued with no scope and often no expiry.
A client that must write gets a new token with ``create_api_token --write``. The old table is
emptied so that no digest of a usable credential is kept outside the new one.
"""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def carry_over_knox_tokens(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('knox_authtoken')")
        if cursor.fetchone()[0] is None:
            return
        latest = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
        cursor.execute(
            "INSERT INTO accounts_apitoken (digest, token_key, user_id, created, expiry, name, write)"
            " SELECT digest, token_key, user_id, created, LEAST(COALESCE(expiry, %s), %s), '', FALSE"
            " FROM knox_authtoken",
            [latest, latest],
        )
        cursor.execute("DELETE FROM knox_authtoken")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_must_change_password_user_history'),
        ('knox', '0009_extend_authtoken_field'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('token_key', models.CharField(db_index=True, max_length=25)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('expiry', models.DateTimeField(blank=True, null=True)),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('digest', models.CharField(max_length=128, unique=True, verbose_name='digest')),
                ('name', models.CharField(blank=True, help_text='What the token is for: the system or person that uses it.', max_length=100, verbose_name='name')),
                ('write', models.BooleanField(default=False, help_text='Issued on purpose to write for an account whose role writes; otherwise the token may only read.', verbose_name='may write')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token_set', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created', '-id'],
            },
        ),
        migrations.RunPython(carry_over_knox_tokens, migrations.RunPython.noop),
    ]
