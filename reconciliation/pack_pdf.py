"""The executive pack as a PDF for the meeting (fpdf2: pure Python, no system libraries).

Figures go in tables, right-aligned with thousands separators; the chart of plan vs
budget vs last release is drawn with fpdf's lines; free text (gap labels, rationales,
comments) goes in wrapped paragraphs, which flow over lines and pages: a table row
cannot span pages, so a long rationale in one failed the whole download.
"""

from itertools import pairwise

from fpdf import FPDF

from cycles.models import Cycle
from cycles.numbers import whole
from reconciliation.pack import (
    HEADLINE_FIELDS,
    NO_COVERAGE,
    NO_PLAN,
    NO_QUOTA,
    coverage_rows,
    pack_data,
    quota_rows,
)
from reconciliation.pack_chart import line_points, nice_axis

PLAN, BUDGET, LAST = (31, 78, 120), (230, 145, 56), (120, 120, 120)


def _text(value) -> str:
    """The PDF core fonts speak Latin-1: anything else becomes '?' rather than failing."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


def _number(value) -> str:
    return whole(value) or "-"


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], *, first_width: int = 2) -> None:
    """A table whose first column is text and the others figures, right-aligned."""
    pdf.set_font("Helvetica", size=8)
    align = ("LEFT", *("RIGHT" for _ in header[1:]))
    widths = (first_width, *(1 for _ in header[1:]))
    with pdf.table(text_align=align, col_widths=widths, first_row_as_headings=True) as table:
        for line in [header, *rows]:
            row = table.row()
            for cell in line:
                row.cell(_text(cell))
    pdf.ln(3)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 8, _text(text), new_x="LMARGIN", new_y="NEXT")


def _headline(pdf: FPDF, data: dict) -> None:
    _heading(pdf, "Headline")
    if not data["has_plan"]:
        _paragraph(pdf, NO_PLAN)
        return
    _table(
        pdf,
        data["headline_header"],
        [[k["label"], *(_number(k[f]) for f in HEADLINE_FIELDS)] for k in data["kpis"]],
    )


def _charts(pdf: FPDF, chart: dict) -> None:
    """Revenue and units, each: plan vs budget vs last release over the horizon."""
    last = chart["last_name"] or "Last release"
    _heading(pdf, "Plan vs budget vs last release, month by month")
    if pdf.will_page_break(75):
        pdf.add_page()
    top = pdf.get_y()
    width = (pdf.epw - 10) / 2
    series = [("Plan", PLAN), ("Budget", BUDGET), (last, LAST)]
    revenue = [chart["revenue"], chart["budget"], chart["last_revenue"]]
    units = [chart["volume"], chart["budget_units"], chart["last_volume"]]
    for n, (title, lines) in enumerate((("Revenue", revenue), ("Units shipped", units))):
        box = (pdf.l_margin + n * (width + 10), top, width, 50)
        _line_chart(pdf, title, chart["labels"], list(zip(series, lines, strict=True)), box)
    pdf.set_xy(pdf.l_margin, top + 56)
    _legend(pdf, series)
    _table(
        pdf,
        ["Month", *chart["labels"]],
        [
            ["Revenue, plan", *map(_number, chart["revenue"])],
            ["Revenue, budget", *map(_number, chart["budget"])],
            [f"Revenue, {last}", *map(_number, chart["last_revenue"])],
            ["Units, plan", *map(_number, chart["volume"])],
            ["Units, budget", *map(_number, chart["budget_units"])],
            [f"Units, {last}", *map(_number, chart["last_volume"])],
        ],
        first_width=3,
    )


def _line_chart(pdf: FPDF, title: str, labels: list[str], lines: list, box: tuple) -> None:
    left, top, width, height = box
    axis = nice_axis([v for _, values in lines for v in values])
    plot_left, plot_width = left + 18, width - 18
    base, plot_height = top + height - 8, height - 14
    pdf.set_font("Helvetica", style="B", size=9)
    pdf.set_xy(left, top)
    pdf.cell(width, 5, _text(title))
    pdf.set_font("Helvetica", size=6)
    pdf.set_draw_color(220, 220, 220)
    pdf.set_line_width(0.1)
    for tick in axis.ticks:
        y = base - plot_height * axis.share(tick)
        pdf.line(plot_left, y, plot_left + plot_width, y)
        pdf.set_xy(left, y - 2)
        pdf.cell(16, 4, _text(whole(tick)), align="R")
    slot = plot_width / max(len(labels), 1)
    for i, label in enumerate(labels):
        pdf.set_xy(plot_left + slot * i, base + 1)
        pdf.cell(slot, 4, _text(label.replace(" 20", " ")), align="C")
    for (_name, colour), values in reversed(lines):  # the plan drawn last, on top
        _polyline(pdf, colour, line_points(values, axis=axis, left=plot_left, width=plot_width,
                                           base=base, height=plot_height))  # fmt: skip
    pdf.set_draw_color(0, 0, 0)


def _polyline(pdf: FPDF, colour: tuple, points: list) -> None:
    """The series' line, broken where a month has no figure; a dot on each figure."""
    pdf.set_draw_color(*colour)
    pdf.set_fill_color(*colour)
    pdf.set_line_width(0.5)
    for a, b in pairwise(points):
        if a and b:
            pdf.line(*a, *b)
    for point in filter(None, points):
        pdf.ellipse(point[0] - 0.7, point[1] - 0.7, 1.4, 1.4, style="F")


def _legend(pdf: FPDF, series: list) -> None:
    pdf.set_font("Helvetica", size=8)
    for name, colour in series:
        x, y = pdf.get_x(), pdf.get_y()
        pdf.set_fill_color(*colour)
        pdf.rect(x, y + 1.5, 6, 2, style="F")
        pdf.set_x(x + 8)
        pdf.cell(pdf.get_string_width(_text(name)) + 8, 5, _text(name))
    pdf.ln(7)
    pdf.set_fill_color(255, 255, 255)  # tables fill with the current colour: back to white


def _entry(pdf: FPDF, title: str, fields: list[tuple[str, str]]) -> None:
    """One gap or escalation: its label in bold, then each field, wrapped over lines and pages."""
    pdf.set_font("Helvetica", style="B", size=9)
    _paragraph(pdf, title)
    pdf.set_font("Helvetica", size=9)
    for name, value in fields:
        if value:
            _paragraph(pdf, f"{name}: {value}")
    pdf.ln(2)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 5, _text(text), new_x="LMARGIN", new_y="NEXT")


def _signoffs(pdf: FPDF, signoffs: list[dict]) -> None:
    _heading(pdf, "Approvals and rejections")
    if not signoffs:
        _paragraph(pdf, "None yet.")
    for s in signoffs:
        title = f"{s['decision']} by {s['who']} on {s['when']:%d %b %Y at %H:%M}"
        _entry(pdf, title, [("Comment", s["comment"])])


def _gaps(pdf: FPDF, gap_rows: list[dict]) -> None:
    _heading(pdf, "Gaps and decisions")
    if not gap_rows:
        _paragraph(pdf, "None over the thresholds.")
    for g in gap_rows:
        fields = [
            ("Decision", g["decision"]),
            ("Owner", g["owner"]),
            ("Reason", g["rationale"]),
            ("Expected impact", g["impact"]),
        ]
        _entry(pdf, g["gap"], fields)


def _escalations(pdf: FPDF, escalations: list) -> None:
    _heading(pdf, "Open escalations: waiting for your decision")
    if not escalations:
        _paragraph(pdf, "None.")
    for d in escalations:
        owner = d.owner.get_full_name() or d.owner.get_username()
        fields = [
            ("Owner", owner),
            ("Reason", d.rationale),
            ("Expected impact", d.expected_impact),
        ]
        _entry(pdf, d.gap_label, fields)


def _changes(pdf: FPDF, data: dict) -> None:
    if not data["changes"]:
        return
    _heading(pdf, f"What changed since {data['last_cycle']}, over {data['same_months']}")
    fields = ("demand", "demand_change", "revenue", "revenue_change")
    rows = [[c["family"], *(_number(c[k]) for k in fields)] for c in data["changes"]]
    header = ["Family", "Agreed demand (units)", "Change", "Revenue", "Change"]
    _table(pdf, header, rows)


def _quota(pdf: FPDF, data: dict) -> None:
    _heading(pdf, "Quota vs plan")
    rows = quota_rows(data)
    if not rows:
        _paragraph(pdf, NO_QUOTA)
        return
    header = ["Territory", "Quota units", "Plan units", "Budget units", "Quota revenue",
              "Plan revenue", "Budget revenue", "Plan vs quota", "Decision"]  # fmt: skip
    lines = [
        [name, *(_number(v) for v in figures), _percent(gap), words]
        for name, *figures, gap, words in rows
    ]
    _table(pdf, header, lines)


def _coverage(pdf: FPDF, data: dict) -> None:
    _heading(pdf, "Pipeline coverage")
    rows = coverage_rows(data)
    if not rows:
        _paragraph(pdf, NO_COVERAGE)
        return
    _paragraph(pdf, _coverage_words(data))
    header = ["Territory", "Month", "Weighted pipeline", "Booked", "Consensus", "Coverage",
              "Covered?"]  # fmt: skip
    lines = [
        [name, f"{month:%Y-%m}", *(_number(v) for v in figures), _percent(ratio), words]
        for name, month, *figures, ratio, words in rows
    ]
    _table(pdf, header, lines)


def _coverage_words(data: dict) -> str:
    words = (
        "Weighted CRM pipeline plus booked revenue against the consensus at list price; "
        f"below {data['coverage_threshold']:.0f}% is not covered."
    )
    frozen = data.get("coverage_frozen_at")
    return words + (
        f" As frozen at the plan's release, {frozen:%Y-%m-%d %H:%M}." if frozen else ""
    )


def _percent(value) -> str:
    return "-" if value is None else f"{value:.1f}%"


def pack_pdf(cycle: Cycle, data: dict | None = None) -> bytes:
    data = data if data is not None else pack_data(cycle)
    pdf = FPDF(orientation="landscape")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 10, _text(f"{cycle}: executive pack"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    months = cycle.horizon()
    state = "the released plan" if cycle.is_released else "the plan as it stands"
    _paragraph(pdf, f"Plan for {months[0]:%b %Y} to {months[-1]:%b %Y}, from {state}.")
    _headline(pdf, data)
    if data["has_plan"]:
        _charts(pdf, data["chart"])
    _signoffs(pdf, data["signoffs"])
    _gaps(pdf, data["gap_rows"])
    _escalations(pdf, data["escalations"])
    _quota(pdf, data)
    _coverage(pdf, data)
    _changes(pdf, data)
    return bytes(pdf.output())
