"""Form pieces every context's forms use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

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
