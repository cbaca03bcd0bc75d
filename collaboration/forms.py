"""The board's comment and action item fields, parsed once; the services check the rules."""

from django import forms

from collaboration.models import ActionItem
from cycles.stages import Stage
from sop_planner.fields import bounded_text

COMMENT_LIMIT = 5000
TITLE_LIMIT = ActionItem._meta.get_field("title").max_length


class CommentForm(forms.Form):
    stage = forms.ChoiceField(
        label="About",
        choices=[("", "The whole cycle"), *((s.value, s.label) for s in Stage)],
        required=False,
    )
    body = bounded_text("Comment", COMMENT_LIMIT)


class ActionItemForm(forms.Form):
    title = bounded_text("Title", TITLE_LIMIT)
    owner = forms.CharField(label="Owner", required=False)
    due_date = forms.DateField(
        label="Due date",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )
