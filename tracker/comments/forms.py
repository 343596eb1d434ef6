from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.comments.services import MAX_BODY
from tracker.core.forms import BaseForm


class CommentForm(BaseForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=MAX_BODY)])
    step_id = SelectField(_l("About"), choices=[], validate_choice=True)
    mention_units = SelectMultipleField(_l("Notify units"), choices=[], coerce=int, validate_choice=True)
    mention_users = SelectMultipleField(_l("Notify people"), choices=[], coerce=int, validate_choice=True)
