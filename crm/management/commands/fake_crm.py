"""`manage.py fake_crm [--port 8765]`: a fake Zendesk Sell for a live sync demonstration.

It serves deals of the company in the database (its territories as the organizations'
regions, its SKUs as line items) on 127.0.0.1 until stopped with Ctrl-C.
"""

import time

from django.core.management.base import BaseCommand

from crm.fake_server import sample_crm, serve
from products.models import Product, ProductFamily
from territories.selectors import active_territories


class Command(BaseCommand):
    help = "Serve a fake Zendesk Sell API on 127.0.0.1 with deals of this company."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--deals", type=int, default=60)

    def handle(self, *args, port: int, deals: int, **options):
        products = Product.objects.filter(is_active=True).order_by("sku")[:40]
        crm = sample_crm(
            regions=[territory.name for territory in active_territories()],
            skus=[(product.sku, float(product.unit_price)) for product in products],
            tags=list(ProductFamily.objects.values_list("code", flat=True)),
            deals=deals,
        )
        server = serve(crm, port=port)
        host, bound = server.server_address[:2]
        self.stdout.write(
            f"Fake Zendesk Sell on http://{host}:{bound} with {len(crm.deals)} deals; "
            f"token: {crm.token}. Enter both on the CRM page and press Sync now. Ctrl-C stops."
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
