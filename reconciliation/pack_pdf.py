"""The executive pre-read as a PDF for the meeting (fpdf2: pure Python, no system libraries).

Figures go in tables; free text (gap labels, rationales, expected impacts, owners) goes in
wrapped paragraphs, which flow over lines and pages: a table row cannot span pages, so a
long rationale in one failed the whole download.
"""

from fpdf import FPDF

from cycles.models import Cycle
from cycles.numbers import whole
from reconciliation.pack import HEADLINE_FIELDS, NO_PLAN, pre_read


def _text(value) -> str:
    """The PDF core fonts speak Latin-1: anything else becomes '?' rather than failing."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


def _number(value) -> str:
    return whole(value) or "-"


def _table(pdf: FPDF, header: list[str], rows: list[list[str]]) -> None:
    pdf.set_font("Helvetica", size=8)
    with pdf.table(text_align="LEFT", first_row_as_headings=True) as table:
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
        _table(pdf, ["KPI"], [[NO_PLAN]])
        return
    _table(
        pdf,
        data["headline_header"],
        [[k["label"], *(_number(k[f]) for f in HEADLINE_FIELDS)] for k in data["kpis"]],
    )
    chart = data["chart"]
    _heading(pdf, "Revenue and volume by month")
    _table(
        pdf,
        ["Month", *chart["labels"]],
        [
            ["Revenue", *map(_number, chart["revenue"])],
            ["Budget revenue", *map(_number, chart["budget"])],
            ["Volume", *map(_number, chart["volume"])],
        ],
    )


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


def _gaps(pdf: FPDF, gaps: list) -> None:
    _heading(pdf, "Gaps and decisions")
    if not gaps:
        _paragraph(pdf, "None over the thresholds.")
    for gap, d in gaps:
        fields = [("Decision", d.get_decision_display() if d else "no decision")]
        if d:
            fields += [
                ("Owner", str(d.owner)),
                ("Rationale", d.rationale),
                ("Expected impact", d.expected_impact),
            ]
        _entry(pdf, gap.label, fields)


def _escalations(pdf: FPDF, escalations: list) -> None:
    _heading(pdf, "Open escalations")
    if not escalations:
        _paragraph(pdf, "None.")
    for d in escalations:
        fields = [("Owner", str(d.owner)), ("Rationale", d.rationale)]
        _entry(pdf, d.gap_label, [*fields, ("Expected impact", d.expected_impact)])


def pack_pdf(cycle: Cycle) -> bytes:
    data = pre_read(cycle)
    pdf = FPDF(orientation="landscape")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 10, _text(f"{cycle}: executive pre-read"), new_x="LMARGIN", new_y="NEXT")
    _headline(pdf, data)
    _gaps(pdf, data["gaps"])
    _escalations(pdf, data["escalations"])
    return bytes(pdf.output())
