"""API tokens moved to django-rest-knox (digests, expiry, revocation).

DRF's authtoken table kept every token in clear text; the app is gone, so drop its
table rather than leave usable secrets in the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
