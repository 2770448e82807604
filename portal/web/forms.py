"""Forms read what was posted to them as fields, and nothing else (no stray files, no JSON).

Flask-WTF fills a form from every uploaded file and from a JSON body as well as from the posted
fields: a file part named like a text field reached text filters and validators as a FileStorage
(TypeError, a 500), and a deeply nested JSON body was parsed for a form that never takes JSON
(RecursionError). Every portal form derives from `TextForm`, which takes the posted fields and,
for its FileFields only, the files of that name.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from wtforms.fields.simple import FileField


def posted_fields(file_fields: frozenset[str] = frozenset()) -> Any:
    """Return the posted form fields, with files only for `file_fields` (never JSON)."""
    if not _is_submitted():
        return None
    try:
        posted = request.form
        files = [
            (name, part) for name, part in request.files.items(multi=True) if name in file_fields
        ]
    except HTTPException:
        # A body that cannot be read (too large, malformed) is no form data; the request gets
        # its error page, which may itself build a form (the staff layout's sign-out button).
        return None
    if files:
        return CombinedMultiDict((ImmutableMultiDict(files), posted))
    return posted


class PostedFieldsMeta:
    """Form meta whose data is the posted text fields, plus files for the form's file fields."""

    def wrap_formdata(self, form: Any, formdata: Any) -> Any:
        """Read the request's own fields (files only where the form has a FileField)."""
        if formdata is not _Auto:
            return formdata
        file_fields = frozenset(
            field.name for field in form._fields.values() if isinstance(field, FileField)
        )
        return posted_fields(file_fields)


class TextForm(FlaskForm):
    """A FlaskForm that reads only its posted fields (see `posted_fields`)."""

    class Meta(PostedFieldsMeta):
        pass
