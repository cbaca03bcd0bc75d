"""The reason codes every company starts with; the admin can add or retire them."""

from django.db import migrations

DEFAULT_REASONS = [
    ("promotion", "Promotion"),
    ("customer-intelligence", "Customer intelligence"),
    ("price-change", "Price change"),
    ("new-listing", "New listing"),
    ("lost-customer", "Lost customer"),
    ("supply-driven", "Supply-driven"),
    ("other", "Other"),
]


def add_reasons(apps, schema_editor):
    ReasonCode = apps.get_model("demand", "ReasonCode")
    for code, label in DEFAULT_REASONS:
        ReasonCode.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("demand", "0001_initial")]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
