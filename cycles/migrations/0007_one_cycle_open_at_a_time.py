"""One cycle in progress at a time, in the database too.

The services refused a second open cycle, but two people opening different months at the
same moment could both pass that check, and the monthly job opened the new month's cycle
while the last one was still in progress. A database holding more than one open cycle
stops here with their names: which one to release is a decision for the company.
"""

from django.conf import settings
from django.db import migrations, models


def refuse_several_open_cycles(apps, schema_editor):
    cycle = apps.get_model("cycles", "Cycle")
    months = list(
        cycle.objects.filter(status="open").order_by("month").values_list("month", flat=True)
    )
    if len(months) > 1:
        names = ", ".join(f"S&OP {month:%Y-%m}" for month in months)
        raise RuntimeError(
            f"{len(months)} cycles are in progress ({names}); only one may be. Release the "
            "ones that are done through the sign-off page, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0006_released_cycle_rows_locked"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_several_open_cycles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")),
                fields=("status",),
                name="one_cycle_open_at_a_time",
            ),
        ),
    ]
