"""Form pieces every context's forms use."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .templatetags.locale_ui import day
from .uploads import MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; their count and sizes are checked from the upload, before any is read."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        if len(items) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Attach at most %(n)s files at once.") % {"n": MAX_FILES_PER_UPLOAD}, code="too_many_files"
            )
        for item in items:
            if getattr(item, "size", 0) > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("The file %(name)s is larger than %(mb)s MB.")
                    % {"name": item.name, "mb": MAX_FILE_BYTES // (1024 * 1024)},
                    code="file_too_large",
                )
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


# Dates a person may mean: nothing in this portal reaches further ahead (a contract's last term, a
# move) or further back, and date arithmetic on 9999-12-31 overflows.
EARLIEST_DATE = date(1990, 1, 1)
YEARS_AHEAD = 10


class DateField(forms.DateField):
    """A date between EARLIEST_DATE and YEARS_AHEAD years from now, else a clear error."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        latest = timezone.now().date().replace(month=12, day=31) + relativedelta(years=YEARS_AHEAD)
        if value > latest:
            raise forms.ValidationError(
                _("Choose a date before %(date)s.") % {"date": day(latest)},
                code="too_far_ahead",
            )
        if value < EARLIEST_DATE:
            raise forms.ValidationError(
                _("Choose a date after %(date)s.") % {"date": day(EARLIEST_DATE)},
                code="too_far_back",
            )
