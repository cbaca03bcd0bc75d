"""The WSGI application, ready before its first request.

Django imports the URL conf (every app's views, API and forms: most of a process's
start-up, seconds on a busy machine) on the first request, so the first user of each
new web worker waited for it. Loading it here moves that cost to the worker's boot:
gunicorn loads the application before the worker accepts a connection.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports the URL conf and every view now)
