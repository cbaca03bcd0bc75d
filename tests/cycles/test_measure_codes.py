"""Measure codes have one spelling: `cycles.measures.MeasureCode`. A string literal equal to a
measure code anywhere else (outside migrations and tests) is a bare copy that a renamed or
misspelt measure would silently miss. Only real string literals count (found with `tokenize`,
so comments, identifiers and f-strings do not)."""

import ast
import io
import tokenize
from pathlib import Path

from cycles.measures import MEASURES, MeasureCode

ROOT = Path(__file__).resolve().parents[2]
CODES = frozenset(str(code) for code in MeasureCode)
SKIPPED_DIRS = {"node_modules", "migrations", "tests"}
THE_ENUM = Path("cycles/measures.py")

# Where the same word means something other than a plan measure: (file, word) -> why.
OTHER_MEANINGS: dict[tuple[str, str], str] = {
    ("bench/gap_list_bench.py", "capacity"): "a scenario change kind",
    ("bench/gap_list_bench.py", "price"): "a scenario change kind",
    ("bench/supply_bench.py", "capacity"): "a scenario change kind",
    ("bench/supply_bench.py", "price"): "a scenario change kind",
    ("crm/fake_server.py", "price"): "a Zendesk Sell line item's field",
    ("crm/sources/zendesk_sell.py", "price"): "a Zendesk Sell line item's field",
    ("cycles/gates.py", "baseline"): "the kind of an open gate item (a territory without one)",
    ("cycles/workflow_views.py", "events"): "the template's list of audit events",
    ("demand/excel.py", "consensus"): "the name of the workbook's plan sheet",
    ("demand/models.py", "events"): "the related name of a cycle's promotion/launch events",
    ("demand/views.py", "events"): "the template's list of promotion/launch events",
    ("kpis/catalogue.py", "shortage"): "the code of a KPI",
    ("kpis/selectors.py", "shortage"): "the code of a KPI",
    ("reassessment/models.py", "baseline"): "a stored forecast-value-added layer",
    ("reassessment/models.py", "events"): "a stored forecast-value-added layer",
    ("reconciliation/api.py", "production"): "a field of the supply computation's answer",
    ("reconciliation/api.py", "shortage"): "a field of the supply computation's answer",
    ("reconciliation/decisions.py", "shortage"): "a gap kind",
    ("reconciliation/gap_list.py", "shortage"): "a gap kind",
    ("reconciliation/models.py", "capacity"): "a stored scenario change kind",
    ("reconciliation/models.py", "price"): "a stored scenario change kind",
    ("reconciliation/pack.py", "budget_units"): "a figure of the sign-off pack",
    ("reconciliation/pack.py", "budget_revenue"): "a figure of the sign-off pack",
    ("reconciliation/pack.py", "shortage"): "a figure of the sign-off pack",
    ("reconciliation/pack_pdf.py", "budget_units"): "a series of the pack's chart",
    ("reconciliation/pack_words.py", "budget_units"): "a figure of the sign-off pack",
    ("reconciliation/pack_words.py", "budget_revenue"): "a figure of the sign-off pack",
    ("reconciliation/pack_words.py", "shortage"): "a figure and a gap kind of the pack",
    ("reconciliation/pack_xlsx.py", "budget_revenue"): "a figure of the sign-off pack",
    ("reconciliation/plan_math.py", "capacity"): "a scenario change kind",
    ("reconciliation/plan_math.py", "price"): "a scenario change kind",
    ("reconciliation/plan_math.py", "shortage"): "a gap kind",
    ("supply/services.py", "production"): "a supply plan attribute and an audit summary field",
    ("supply/services.py", "shortage"): "a supply plan attribute and an audit summary field",
    ("supply/views.py", "capacity"): "a column of the supply page's month table and chart",
    ("supply/views.py", "production"): "a column of the supply page's month table and chart",
    ("supply/views.py", "shortage"): "a column of the supply page's month table",
}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        hidden = any(part.startswith(".") for part in relative.parts)
        if not hidden and not SKIPPED_DIRS & set(relative.parts) and relative != THE_ENUM:
            yield relative, path.read_text()


def bare_codes(source: str) -> list[tuple[int, str]]:
    """(line, code) of every string literal in `source` that spells a measure code."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        try:
            value = ast.literal_eval(token.string)
        except (ValueError, SyntaxError):  # an f-string: not a plain literal
            continue
        if isinstance(value, str) and value in CODES:
            found.append((token.start[0], value))
    return found


def test_no_measure_code_is_spelt_as_a_bare_string_outside_the_enum():
    found = [
        f"{relative}:{line}: {code!r} (use MeasureCode.{code.upper()})"
        for relative, source in _sources()
        for line, code in bare_codes(source)
        if (relative.as_posix(), code) not in OTHER_MEANINGS
    ]
    assert not found, "bare measure codes:\n" + "\n".join(found)


def test_the_check_finds_a_planted_bare_code_and_ignores_what_is_not_a_literal():
    planted = (
        "rows = PlanValue.objects.filter(measure='consensus')\n"
        "# a comment naming override is fine\n"
        "label = f'{baseline} units'\n"
        'keep = MeasureCode.BUDGET_UNITS, "budget units", """capacity"""\n'
    )
    assert bare_codes(planted) == [(1, "consensus"), (4, "capacity")]


def test_every_allowed_other_meaning_is_still_in_its_file():
    sources = dict(_sources())
    stale = [
        f"{file}: {word}"
        for file, word in OTHER_MEANINGS
        if word not in {code for _, code in bare_codes(sources.get(Path(file), ""))}
    ]
    assert not stale, "remove these from OTHER_MEANINGS:\n" + "\n".join(stale)


def test_the_registry_is_keyed_by_the_enum_and_covers_every_code():
    assert set(MEASURES) == set(MeasureCode)
    assert all(isinstance(code, MeasureCode) for code in MEASURES)
    assert MEASURES["baseline"] is MEASURES[MeasureCode.BASELINE]
