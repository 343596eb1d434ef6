"""The form of the import page (the export buttons' form: tracker/exports/forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.core.forms import BaseForm, DocDateField, to_choices
from tracker.plans.models import PLAN_KIND_LABELS


class ImportForm(BaseForm):
    file = FileField(_l("File (Word .docx, Excel .xlsx, CSV, open-data JSON or text .txt)"))
    #: A proposal or minutes pasted as text, instead of a file (issue 15).
    text = TextAreaField(
        _l("Or paste the text of a proposal or of meeting minutes"),
        validators=[Optional(), Length(max=500_000)],
    )
    kind = SelectField(_l("Kind"), choices=[], validate_choice=True)
    meeting_date = DocDateField(_l("Meeting date (for minutes that do not give it)"), validators=[Optional()])

    def validate(self, extra_validators: object = None) -> bool:
        is_valid = super().validate(extra_validators)
        if is_valid and not self.file.data and not (self.text.data or "").strip():
            self.file.errors = [_l("Choose the file to import, or paste its text.")]
            return False
        return is_valid

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = to_choices(
            [("", _l("Read it from the title")), *((k.value, v) for k, v in PLAN_KIND_LABELS.items())]
        )
