"""The upload pages' posted fields, parsed once; the services check the rules."""

from django import forms

from sop_planner.fields import bounded_text
from uploads.models import ColumnMapping, UploadBatch

SHEET_LIMIT = UploadBatch._meta.get_field("sheet").max_length
NAME_LIMIT = ColumnMapping._meta.get_field("name").max_length


class UploadForm(forms.Form):
    kind = forms.CharField(label="Kind", required=False)
    sheet = bounded_text("Sheet", SHEET_LIMIT)
    mapping_name = bounded_text("Saved mapping", NAME_LIMIT)
    convention = bounded_text("Numbers written with", 40)


class ConventionForm(forms.Form):
    convention = bounded_text("Read the numbers with", 40)


class MapForm(forms.Form):
    save_as = bounded_text("Save the mapping as", NAME_LIMIT)


class CommitForm(forms.Form):
    accept_partial = forms.CharField(label="Commit the valid rows only", required=False)


class RevertForm(forms.Form):
    reason = bounded_text("Reason", 5000)
