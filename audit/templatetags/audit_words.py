"""Template filters that show the audit trail in words (see audit.wording)."""

from django import template

from audit import wording

register = template.Library()


@register.filter
def action_words(code: str) -> str:
    return wording.action_words(code)


@register.filter
def audit_values(values) -> str:
    return wording.values_text(values)
