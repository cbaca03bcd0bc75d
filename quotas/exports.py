"""Quotas and attainment as CSV, cells neutralised so Excel runs no formula."""

from django.http import HttpResponse

from cycles.plan_services import plain
from quotas.models import QuotaYear
from sop_planner.spreadsheet import csv_text

QUOTA_HEADER = [
    "fiscal_year",
    "version",
    "status",
    "rep",
    "rep_email",
    "territory",
    "family",
    "month",
    "units",
    "revenue",
]


def quota_rows(quota_year: QuotaYear) -> list[list]:
    lines = quota_year.lines.select_related("rep", "territory", "family")
    return [
        [
            quota_year.fiscal_year,
            quota_year.version,
            quota_year.status,
            line.rep.name if line.rep else "",
            line.rep.email if line.rep else "",
            line.territory.code,
            line.family.code,
            f"{line.month:%Y-%m}",
            plain(line.units),
            plain(line.revenue),
        ]
        for line in lines
    ]


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def quota_csv_response(quota_year: QuotaYear) -> HttpResponse:
    text = csv_text(QUOTA_HEADER, quota_rows(quota_year))
    return csv_response(text, f"quotas-fy{quota_year.fiscal_year}-v{quota_year.version}.csv")


def attainment_csv_response(rows: list, columns: list[str]) -> HttpResponse:
    lines = [["" if getattr(row, c) is None else getattr(row, c) for c in columns] for row in rows]
    return csv_response(csv_text(columns, lines), "quota-attainment.csv")
