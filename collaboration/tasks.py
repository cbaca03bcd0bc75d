import json
import urllib.request
from datetime import date

from celery import shared_task
from django.core.mail import send_mail

from collaboration import services
from collaboration.mail import one_line


@shared_task
def overdue_reminders_task() -> int:
    """Daily (beat): remind the people who hold up an overdue stage."""
    return services.overdue_notify(today=date.today())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def webhook_post_task(url: str, payload: dict) -> int:
    """POST a Slack-compatible JSON message ({"text": ...}) to the configured webhook."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def email_send_task(subject: str, message: str, recipients: list[str]) -> int:
    """Send a notification e-mail; any failure (a mail server that refuses or is away, a
    header it rejects) is tried again with a growing pause, and a mail that still fails
    is recorded as a failed task in the results table, never dropped silently."""
    return send_mail(one_line(subject, limit=200), message, None, recipients)
