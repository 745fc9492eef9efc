"""Forms for imports and the vocabulary pages: they carry what was typed; services and importers check it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from commonweal.core.fields import radio_field

from ..models import ImportRun
from .reading import megabytes, too_big
from .runner import SUFFIXES, max_bytes

FILE_TYPES = "CSV, TXT or JSON"


class UploadField(forms.FileField):
    """A file for an import: not empty, not too big, and a kind of file we read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Select a file.",
                "empty": "The selected file is empty.",
                "invalid": "The selected file could not be uploaded. Try again.",
                "missing": "Select a file.",
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ",".join(SUFFIXES)})

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload: UploadedFile | None = super().clean(data, initial)
        if upload is None:
            return upload
        limit = max_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {megabytes(limit)}. It is {too_big(upload.size, limit)}: "
                "split it into smaller files and import each one.",
                code="too_big",
            )
        if PurePath(upload.name or "").suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(f"The selected file must be a {FILE_TYPES} file.", code="file_type")
        return upload


class _RefusesOversize(forms.Form):
    """A form shown again for a request whose body was too big to read: it says so beside the file field."""

    def __init__(self, *args: Any, oversize: int | None = None, **kwargs: Any) -> None:
        self.oversize = oversize
        if oversize is not None:
            args, kwargs = (), {**kwargs, "data": {}, "files": {}}
        super().__init__(*args, **kwargs)
        if oversize is not None:
            for field in self.fields.values():
                field.required = False

    def clean_file(self) -> Any:
        if self.oversize is not None:
            raise forms.ValidationError(
                f"The selected file must be smaller than {megabytes(max_bytes())}. "
                f"It is {too_big(self.oversize, max_bytes())}: split it into smaller files and import each one.",
                code="too_big",
            )
        return self.cleaned_data.get("file")


class ImportForm(_RefusesOversize):
    kind = radio_field(
        "What kind of file is it?",
        ImportRun.Kind.choices,
        required=True,
        missing="Choose what kind of file it is.",
        invalid="Choose what kind of file it is.",
    )
    file = UploadField(label="Upload a file", help_text=f"A {FILE_TYPES} file, up to {megabytes(max_bytes())}.")
    name = forms.CharField(
        label="Name of the directory or vocabulary (optional)",
        required=False,
        max_length=200,
        help_text=(
            "For another directory's feed or a vocabulary: the name its categories are kept under, "
            "such as ‘Sutton Information Hub’. If you leave it blank, the file's name is used."
        ),
        error_messages={"max_length": "The name must be 200 characters or fewer."},
    )
    hold = forms.BooleanField(
        label="Hold new listings until an officer approves them",
        required=False,
        help_text=(
            "Otherwise new listings are published straight away. Listings already in the directory keep their status."
        ),
    )
