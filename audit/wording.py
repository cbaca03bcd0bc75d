"""The audit trail in words: a phrase per action code, before/after values as text. Plain Python."""

import re
from typing import Any

ACTION_WORDS = {
    "action_item.add": "added an action item",
    "action_item.done": "closed an action item",
    "calendar.save": "saved a calendar month",
    "carry.confirm": "confirmed what was carried forward from last month",
    "carry.propose": "proposed last month's inputs",
    "cycle.advance": "moved the cycle on",
    "cycle.approve": "approved the plan",
    "cycle.comment": "commented",
    "cycle.due_date": "changed a due date",
    "cycle.open": "opened the cycle",
    "cycle.reject": "rejected the plan",
    "cycle.release": "released the plan",
    "cycle.send_back": "sent the cycle back",
    "cycle.waive": "waived",
    "demand.baseline_load": "loaded the baseline forecast",
    "demand.event_delete": "deleted a demand event",
    "demand.event_save": "saved a demand event",
    "demand.override": "overrode the forecast",
    "demand.override_undo": "undid an override",
    "demand.reopen": "reopened a demand plan",
    "demo.history": "loaded a past cycle of the demo company",
    "family.save": "saved a product family",
    "forecast.cancel": "cancelled a forecast run",
    "forecast.run": "started a forecast run",
    "gap.decide": "decided on a gap",
    "guide.save": "edited a stage guide",
    "kpis.define": "defined a KPI",
    "plan.import": "imported plan figures",
    "plan.submit": "submitted",
    "plan.value_set": "changed a plan figure",
    "product.save": "saved a product",
    "reassessment.recompute": "scored the released plan again",
    "region.save": "saved a region",
    "scenario.change_add": "added a change to a scenario",
    "scenario.create": "created a scenario",
    "scenario.delete": "deleted a scenario",
    "scenario.promote": "made a scenario the plan",
    "supply.plan_computed": "computed the supply plan",
    "territory.planner_assign": "assigned a planner",
    "territory.planner_unassign": "unassigned a planner",
    "territory.save": "saved a territory",
    "upload.mapping_save": "saved an upload's column mapping",
    "user.save": "saved a user",
    "user.locked_out": "was locked out after failed sign-ins",
    "user.unlock": "lifted a sign-in lock",
    "user.tokens_revoked": "revoked API tokens",
}
_PATTERNS = [
    (re.compile(r"^upload\.(\w+)\.commit$"), "imported {} from a file"),
    (re.compile(r"^upload\.(\w+)\.revert$"), "reverted an import of {}"),
    (re.compile(r"^(\w+)\.upload$"), "uploaded {}"),
]
_IDENTIFIER = re.compile(r"^[a-z]+(_[a-z]+)+$")


def _words(code: str) -> str:
    return code.replace("_", " ").replace(".", " ")


def action_words(code: str) -> str:
    """What the actor did, as a phrase ("moved the cycle on"); unknown codes spelled out."""
    if code in ACTION_WORDS:
        return ACTION_WORDS[code]
    for pattern, words in _PATTERNS:
        match = pattern.match(code)
        if match:
            return words.format(_words(match.group(1)))
    return _words(code)


def value_text(value: Any) -> str:
    """One recorded value as a person reads it: no quotes, brackets or underscores."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return f"({values_text(value)})" if value else "—"
    if isinstance(value, (list, tuple)):
        return " / ".join(value_text(item) for item in value) if value else "none"
    text = str(value)
    return _words(text) if _IDENTIFIER.match(text) else text


def values_text(values: Any) -> str:
    """A before/after record as "month 2026-10, overrides 12"; empty when nothing was recorded."""
    if not values:
        return ""
    if not isinstance(values, dict):
        return value_text(values)
    return ", ".join(f"{_words(str(key))} {value_text(value)}" for key, value in values.items())
