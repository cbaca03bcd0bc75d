"""The executive pre-read as a PDF for the meeting (fpdf2: pure Python, no system libraries)."""

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


def pack_pdf(cycle: Cycle) -> bytes:
    data = pre_read(cycle)
    pdf = FPDF(orientation="landscape")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 10, _text(f"{cycle}: executive pre-read"), new_x="LMARGIN", new_y="NEXT")
    _headline(pdf, data)
    _heading(pdf, "Gaps and decisions")
    gaps = [
        [gap.label, d.get_decision_display() if d else "no decision", d.rationale if d else ""]
        for gap, d in data["gaps"]
    ]
    _table(pdf, ["Gap", "Decision", "Rationale"], gaps or [["None over the thresholds", "", ""]])
    _heading(pdf, "Open escalations")
    escalations = [[d.gap_label, str(d.owner), d.rationale] for d in data["escalations"]]
    _table(pdf, ["Gap", "Owner", "Rationale"], escalations or [["None", "", ""]])
    return bytes(pdf.output())
