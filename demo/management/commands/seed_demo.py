from datetime import date

from django.core.management.base import BaseCommand

from demo.services import demo_company_load
from demo.users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Load the demo company (idempotent). --scale N makes a company of about N series."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--scale", type=int, default=None, help="number of SKU x territory series"
        )
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="leave out the twelve past released cycles (large benchmark companies)",
        )

    def handle(self, *args, seed: int, scale: int | None, today: date | None, **options):
        counts = demo_company_load(
            today=today or date.today(),
            seed=seed,
            series=scale,
            history=not options["no_history"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo company ready: {territories} territories, {products} products, "
                "{actual_rows} actual rows ({actual_rows_added} added), "
                "{past_cycles_added} past released cycles added.".format(**counts)
            )
        )
        if options["verbosity"] > 0:
            logins = ", ".join(name for name, _, _ in DEMO_USERS)
            self.stdout.write(f"Demo log-ins (password '{DEMO_PASSWORD}'): {logins}")
