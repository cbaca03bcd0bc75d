from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.editing import ServiceFormView
from accounts.permissions import can, ensure_allowed
from products import selectors, services
from products.forms import FamilyForm, ProductForm
from products.models import Product, ProductFamily


@login_required
def product_list(request):
    ensure_allowed(request.user, "masterdata.view")
    family = request.GET.get("family") or None
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.products_list(family_code=family, search=search), 50)
    return render(
        request,
        "products/list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "families": selectors.families_with_counts(),
            "family": family,
            "q": search,
            "can_edit": can(request.user, "products.edit"),
            "can_price": can(request.user, "prices.edit"),
        },
    )


class FamilyEditView(ServiceFormView):
    required_action = "products.edit"
    model = ProductFamily
    form_class = FamilyForm
    service = services.family_save
    service_argument = "family"
    success_url_name = "products:list"
    title = "Product family"


class ProductEditView(ServiceFormView):
    """Product rights edit the SKU; pricing rights edit price and cost (the service decides)."""

    required_action = "masterdata.view"
    model = Product
    form_class = ProductForm
    service = services.product_save
    service_argument = "product"
    success_url_name = "products:list"
    title = "Product"

    def post(self, request, *args, **kwargs):
        if not (can(request.user, "products.edit") or can(request.user, "prices.edit")):
            raise PermissionDenied("Your role may not edit products or prices.")
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        user = self.request.user
        editable = set()
        if can(user, "products.edit"):
            editable |= set(form.fields) - set(services.PRICE_FIELDS)
        if can(user, "prices.edit") and self.get_object() is not None:
            editable |= set(services.PRICE_FIELDS)
        if can(user, "products.edit") and self.get_object() is None:
            editable |= set(services.PRICE_FIELDS)
        for name, field in form.fields.items():
            field.disabled = name not in editable
        return form
