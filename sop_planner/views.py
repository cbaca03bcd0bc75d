"""Project-level pages that belong to no app."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
