"""The KPIs of a person's own scope: a demand planner's regions and territories, beside the company.

The figures are the reassessment app's stored scores of released plans (WAPE and
bias in %, the same numbers as the company's tiles), read at region and territory
level for the territories this person plans.
"""

from dataclasses import dataclass
from datetime import date

from reassessment.selectors import latest_scores
from territories.selectors import territories_planned_by

LAG = 1  # plans released the month before: the figure a planner acts on


@dataclass(frozen=True)
class ScopeScore:
    label: str
    level: str  # company, region or territory
    month: date | None  # the latest month scored; None: not scored yet
    wape: float | None
    bias: float | None


def own_accuracy(user) -> list[ScopeScore]:
    """The company, then each of the person's regions and territories; empty for non-planners.
    Every group's latest score in one read."""
    territories = sorted(territories_planned_by(user), key=lambda t: (t.region.name, t.name))
    if not territories:
        return []
    regions = {t.region_id: t.region for t in territories}
    groups = [
        ("Company", "company", 0),
        *((region.name, "region", region.pk) for region in regions.values()),
        *((territory.name, "territory", territory.pk) for territory in territories),
    ]
    latest = latest_scores(lag=LAG, groups=[(level, key) for _, level, key in groups])
    return [_score(label, level, latest.get((level, key))) for label, level, key in groups]


def _score(label: str, level: str, last: dict | None) -> ScopeScore:
    if last is None:
        return ScopeScore(label, level, None, None, None)
    return ScopeScore(label, level, last["month"], last["wape"], last["bias_pct"])
