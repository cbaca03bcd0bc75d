"""The KPIs the dashboard can show, and how a figure compares with its target. Plain Python.

Each KPI is a registry row: a code, a label, a unit, which way is good and a
default target threshold. A company's choice (which appear, in which order,
with which thresholds) is kept in kpis.models.KpiSetting and checked here.
"""

from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    HIGHER = "higher"  # good when the figure is at least the threshold
    LOWER = "lower"  # good when the figure is at most the threshold
    NEAR_ZERO = "near_zero"  # good when the figure is within +/- the threshold (a bias)

    def describe(self, threshold: float, unit: str) -> str:
        """The target in words, e.g. 'at most 30 %'."""
        amount = f"{threshold:g} {unit}".strip()
        if self is Direction.HIGHER:
            return f"at least {amount}"
        if self is Direction.LOWER:
            return f"at most {amount}"
        return f"within ±{amount}"


class Status(StrEnum):
    ON_TARGET = "on_target"
    OFF_TARGET = "off_target"
    NO_DATA = "no_data"


STATUS_VALUES = [status.value for status in Status]  # the API's choices (one OpenAPI enum)


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    unit: str
    direction: Direction
    default_threshold: float
    help: str
    needs_scores: bool = False  # from the reassessment app's scores, per target month


KPIS: dict[str, Kpi] = {
    k.code: k
    for k in (
        Kpi(
            "wape_lag1",
            "Forecast error (WAPE), lag 1",
            "%",
            Direction.LOWER,
            30.0,
            "Weighted absolute error of the plan released one month before, company total.",
            needs_scores=True,
        ),
        Kpi(
            "wape_lag3",
            "Forecast error (WAPE), lag 3",
            "%",
            Direction.LOWER,
            35.0,
            "The same for the plan released three months before.",
            needs_scores=True,
        ),
        Kpi(
            "bias_lag1",
            "Bias, lag 1",
            "%",
            Direction.NEAR_ZERO,
            5.0,
            "Plan minus actuals as % of actuals; positive means over-forecast.",
            needs_scores=True,
        ),
        Kpi(
            "bias_lag3",
            "Bias, lag 3",
            "%",
            Direction.NEAR_ZERO,
            8.0,
            "The same for the plan released three months before.",
            needs_scores=True,
        ),
        Kpi(
            "override_fva",
            "Value added by overrides, lag 1",
            "pts",
            Direction.HIGHER,
            0.0,
            "WAPE points the planners' overrides removed (positive) or added (negative).",
            needs_scores=True,
        ),
        Kpi(
            "revenue_vs_budget",
            "Revenue vs budget (demand plan at list price)",
            "%",
            Direction.HIGHER,
            -2.0,
            "Consensus demand x list price over the cycle's horizon against the budget, in %."
            " Not the sign-off pre-read's revenue, which counts what supply can deliver.",
        ),
        Kpi(
            "volume_vs_budget",
            "Volume vs budget (demand plan)",
            "%",
            Direction.HIGHER,
            -2.0,
            "Consensus demand units over the cycle's horizon against the budget, in %."
            " Not the sign-off pre-read's volume shipped, which counts what supply can deliver.",
        ),
        Kpi(
            "shortage",
            "Shortage vs target",
            "%",
            Direction.LOWER,
            2.0,
            "Unmet demand of the supply plan as % of consensus demand.",
        ),
        Kpi(
            "inventory_cover",
            "Inventory cover vs target",
            "%",
            Direction.NEAR_ZERO,
            25.0,
            "Projected inventory against the inventory target, in % above (+) or below (-).",
        ),
        Kpi(
            "stages_on_time",
            "Stages closed on time",
            "%",
            Direction.HIGHER,
            80.0,
            "Share of the cycle's stages closed by their due date.",
        ),
        Kpi(
            "days_late",
            "Days late",
            "days",
            Direction.LOWER,
            2.0,
            "The cycle's worst slip: days a stage closed (or is still open) past its due date.",
        ),
        Kpi(
            "quota_attainment_month",
            "Quota attainment, last month",
            "%",
            Direction.HIGHER,
            100.0,
            "Sales actuals of the month before the cycle against the approved quotas' revenue.",
        ),
        Kpi(
            "quota_attainment_ytd",
            "Quota attainment, year to date",
            "%",
            Direction.HIGHER,
            100.0,
            "Sales actuals of the fiscal year through the month before the cycle against the"
            " approved quotas' revenue of the same months.",
        ),
        Kpi(
            "pipeline_coverage",
            "Pipeline coverage, next 3 months",
            "%",
            Direction.HIGHER,
            80.0,
            "Weighted CRM pipeline plus booked revenue against the consensus at list price over"
            " the open cycle's first three months, company total. Its threshold also flags the"
            " territories' months in demand planning and on the sign-off pre-read.",
        ),
    )
}

THRESHOLD_LIMIT = 1_000_000.0


def status_of(kpi: Kpi, value: float | None, threshold: float) -> Status:
    """Is this figure inside its target? No figure: no data."""
    if value is None:
        return Status.NO_DATA
    inside = {
        Direction.HIGHER: value >= threshold,
        Direction.LOWER: value <= threshold,
        Direction.NEAR_ZERO: abs(value) <= threshold,
    }[kpi.direction]
    return Status.ON_TARGET if inside else Status.OFF_TARGET


@dataclass(frozen=True)
class Choice:
    """One KPI as a company chose it: shown or hidden, where, with which threshold."""

    code: str
    visible: bool
    position: int
    threshold: float


def default_choices() -> list[Choice]:
    return [
        Choice(kpi.code, True, index, kpi.default_threshold)
        for index, kpi in enumerate(KPIS.values(), start=1)
    ]


def parse_choices(rows: list[dict]) -> tuple[list[Choice], list[str]]:
    """Check a submitted choice (raw strings from a form or JSON); returns choices and errors.

    Every error names the KPI and the field, so the administrator knows what to fix.
    """
    errors: list[str] = []
    choices = []
    seen: set[str] = set()
    for row in rows:
        code = str(row.get("code", ""))
        kpi = KPIS.get(code)
        if kpi is None:
            errors.append(f"There is no KPI called {code!r}.")
            continue
        if code in seen:
            errors.append(f"{kpi.label}: listed twice.")
            continue
        seen.add(code)
        position = _number(row.get("position"), f"{kpi.label}: position", errors, whole=True)
        threshold = _number(row.get("threshold"), f"{kpi.label}: target threshold", errors)
        if position is not None and threshold is not None:
            choices.append(Choice(code, _flag(row.get("visible")), int(position), threshold))
    errors.extend(_set_errors(choices, seen))
    return sorted(choices, key=lambda c: (c.position, c.code)), errors


def _set_errors(choices: list[Choice], seen: set[str]) -> list[str]:
    errors = []
    missing = [KPIS[code].label for code in KPIS if code not in seen]
    if missing:
        errors.append("Missing from the list: " + ", ".join(missing) + ".")
    positions = [c.position for c in choices]
    for position in sorted({p for p in positions if positions.count(p) > 1}):
        names = ", ".join(KPIS[c.code].label for c in choices if c.position == position)
        errors.append(f"Position {position} is given to more than one KPI: {names}.")
    if choices and not any(c.visible for c in choices):
        errors.append("Choose at least one KPI to show on the dashboard.")
    return errors


def _number(raw, field: str, errors: list[str], *, whole: bool = False) -> float | None:
    text = "" if raw is None else str(raw).strip().replace(",", ".")
    if not text:
        errors.append(f"{field} is missing.")
        return None
    try:
        number = float(text)
    except ValueError:
        errors.append(f"{field}: {raw!r} is not a number.")
        return None
    if number != number or abs(number) > THRESHOLD_LIMIT:
        errors.append(f"{field}: {raw!r} is out of range.")
        return None
    if whole and (number != int(number) or number < 1):
        errors.append(f"{field}: {raw!r} must be a whole number of 1 or more.")
        return None
    return number


def _flag(raw) -> bool:
    return raw is True or str(raw).lower() in ("1", "true", "on", "yes")
