"""A coherent plan across the hierarchy: company, family x region, SKU x territory.

Planners read the plan at family x region and company level. Forecasting each SKU x
territory on its own and adding up (bottom-up) is one answer; forecasting the totals and
splitting them by the SKUs' forecast proportions (top-down) or combining every level with
MinT-shrink (Wickramasuriya et al. 2019) are others. Nixtla's hierarchicalforecast does
the reconciling; here we build its summing matrix, score each method on a backtest at
every level, and choose: the best mean MASE at the planners' levels, among the methods
that lose no more than SKU_TOLERANCE at the SKU level; bottom-up unless another is
clearly (MARGIN) better, because its SKU forecasts are the engine's own, explained ones.

Whatever the method, the stored numbers are SKU x territory forecasts and every total is
their sum, so the plan adds up at every level by construction.
"""

from dataclasses import dataclass, field

import numpy as np

COMPANY, CELL, BOTTOM = "Company", "Family x region", "SKU x territory"
LEVELS = (COMPANY, CELL, BOTTOM)
PLANNER_LEVELS = (COMPANY, CELL)
BOTTOM_UP, TOP_DOWN, MINT = "Bottom-up", "Top-down (forecast proportions)", "MinT-shrink"
MARGIN = 0.03  # another method must lower the planners' MASE by 3% to replace bottom-up
SKU_TOLERANCE = 0.02  # ... and may not raise the SKU x territory MASE by more than 2%
MINT_MAX_BOTTOM = 2000  # MinT's covariance is dense: bottom series x bottom series


@dataclass
class Hierarchy:
    bottom: list[str]  # SKU x territory ids
    cells: list[str]  # family x region labels
    cell_of: np.ndarray  # index into cells, per bottom series

    @property
    def nodes(self) -> list[str]:
        return [COMPANY, *self.cells, *self.bottom]

    def level_rows(self) -> dict[str, np.ndarray]:
        n_cells = len(self.cells)
        return {
            COMPANY: np.array([0]),
            CELL: np.arange(1, 1 + n_cells),
            BOTTOM: np.arange(1 + n_cells, 1 + n_cells + len(self.bottom)),
        }

    def summing(self):
        """The (nodes x bottom) summing matrix, sparse."""
        from scipy import sparse

        n = len(self.bottom)
        rows = np.concatenate([np.zeros(n), 1 + self.cell_of, 1 + len(self.cells) + np.arange(n)])
        cols = np.tile(np.arange(n), 3)
        shape = (1 + len(self.cells) + n, n)
        return sparse.csr_matrix((np.ones(3 * n), (rows.astype(int), cols)), shape=shape)

    def add_up(self, bottom_values: np.ndarray) -> np.ndarray:
        """Every node's value (nodes x months) from the bottom series' (bottom x months)."""
        return np.asarray(self.summing() @ bottom_values)


def build(cell_of: dict[str, str]) -> Hierarchy:
    """cell_of: SKU x territory id -> its family x region label."""
    bottom = sorted(cell_of)
    cells = sorted(set(cell_of.values()))
    index = {c: i for i, c in enumerate(cells)}
    return Hierarchy(bottom, cells, np.array([index[cell_of[u]] for u in bottom], dtype=int))


def reconcile(
    h: Hierarchy, base: np.ndarray, method: str, residuals: np.ndarray | None = None
) -> np.ndarray:
    """Coherent bottom forecasts (bottom x months) from base forecasts of every node
    (nodes x months); `residuals` (nodes x months) are needed by MinT-shrink only.
    Negative results are set to zero (demand is not negative), and a month the engine
    forecast at exactly zero (a discontinued product, no sales at all) stays zero;
    totals are the sums of the result."""
    n_bottom = len(h.bottom)
    own = np.clip(base[-n_bottom:], 0, None)
    if method == BOTTOM_UP:
        return own
    return np.where(own == 0, 0.0, _reconciled(h, base, method, residuals))


def _reconciled(h: Hierarchy, base: np.ndarray, method: str, residuals) -> np.ndarray:
    n_bottom = len(h.bottom)
    from hierarchicalforecast import methods

    tags = {level: rows for level, rows in h.level_rows().items()}
    if method == TOP_DOWN:
        result = methods.TopDownSparse(method="forecast_proportions").fit_predict(
            S=h.summing(), y_hat=base, tags=tags
        )
    elif method == MINT:
        result = methods.MinTrace(method="mint_shrink").fit_predict(
            S=h.summing().toarray(), y_hat=base, y_insample=residuals,
            y_hat_insample=np.zeros_like(residuals), tags=tags,
        )  # fmt: skip
    else:
        raise ValueError(f"Unknown reconciliation method {method!r}")
    return np.clip(np.asarray(result["mean"])[-n_bottom:], 0, None)


def methods_for(h: Hierarchy) -> list[str]:
    """MinT-shrink only where its dense covariance fits (and there is a hierarchy at all)."""
    if len(h.bottom) < 2:
        return [BOTTOM_UP]
    chosen = [BOTTOM_UP, TOP_DOWN]
    if len(h.bottom) <= MINT_MAX_BOTTOM:
        chosen.append(MINT)
    return chosen


@dataclass
class Decision:
    method: str
    scores: dict[str, dict[str, dict[str, float | None]]]  # method -> level -> mase, wape
    reason: str
    skipped: list[str] = field(default_factory=list)


def score(
    h: Hierarchy, bottom_forecast: np.ndarray, actual: np.ndarray, scale: np.ndarray
) -> dict[str, dict[str, float | None]]:
    """MASE (mean over the level's nodes) and WAPE per level of coherent bottom forecasts
    against every node's actuals (nodes x months) and MASE scales (nodes)."""
    errors = h.add_up(bottom_forecast) - actual
    out = {}
    for level, rows in h.level_rows().items():
        mae = np.abs(errors[rows]).mean(axis=1)
        volume = np.abs(actual[rows]).sum()
        out[level] = {
            "mase": round(float(np.mean(mae / scale[rows])), 4),
            "wape": round(float(np.abs(errors[rows]).sum() / volume), 4) if volume else None,
        }
    return out


def choose(h: Hierarchy, base: np.ndarray, actual: np.ndarray, scale: np.ndarray) -> Decision:
    """Backtest each method: `base` (nodes x months) are the base forecasts of the backtest
    window, `actual` what happened; MinT's covariance is taken from the same errors."""
    candidates = methods_for(h)
    residuals = actual - base
    scores = {m: score(h, reconcile(h, base, m, residuals), actual, scale) for m in candidates}
    method = _pick(scores)
    skipped = [MINT] if MINT not in candidates and len(h.bottom) > MINT_MAX_BOTTOM else []
    return Decision(method, scores, _reason(method, scores, len(h.bottom), skipped), skipped)


def _planners(level_scores: dict[str, dict[str, float]]) -> float:
    return float(np.mean([level_scores[level]["mase"] for level in PLANNER_LEVELS]))


def _pick(scores: dict) -> str:
    base = scores[BOTTOM_UP]
    allowed = [
        m
        for m, s in scores.items()
        if s[BOTTOM]["mase"] <= (1 + SKU_TOLERANCE) * base[BOTTOM]["mase"]
        and _planners(s) <= (1 - MARGIN) * _planners(base)
    ]
    return min(allowed, key=lambda m: _planners(scores[m])) if allowed else BOTTOM_UP


def _reason(method: str, scores: dict, n_bottom: int, skipped: list[str]) -> str:
    """E.g. 'Bottom-up: mean MASE 0.61 at family x region and company level, SKU x
    territory 0.82; Top-down (...) 0.63 / 0.85 and MinT-shrink 0.60 / 0.90 were not
    clearly better without losing SKU accuracy'."""

    def words(m: str) -> str:
        return f"{_planners(scores[m]):.2f} planners' levels, {scores[m][BOTTOM]['mase']:.2f} SKU"

    others = [m for m in scores if m != method]
    text = f"{method} (MASE {words(method)})"
    if others:
        text += " chosen on the backtest over " + " and ".join(f"{m} ({words(m)})" for m in others)
    if method == BOTTOM_UP and others:
        text += ": no other method was clearly better at family x region and company level "
        text += "without losing accuracy per SKU x territory"
    if skipped:
        text += f"; MinT-shrink not tried: {n_bottom} series is more than {MINT_MAX_BOTTOM}"
    return text
