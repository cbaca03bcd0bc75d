"""Form widgets shared by the apps' forms."""

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker.

    An <input type="date"> accepts and sends only yyyy-mm-dd, whatever the
    page's locale, so the value is written that way (en-gb would write
    01/10/2026, which the browser drops: the field shows blank).
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
