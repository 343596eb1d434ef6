from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length

from tracker.core.forms import BaseForm


class BulkReviewForm(BaseForm):
    """The chosen claims (checked in the list), one comment, and the decision button pressed."""

    update_ids = SelectMultipleField(_l("Reports"), coerce=int, validate_choice=False)
    comment = TextAreaField(_l("Comment (required to return)"), validators=[Length(max=5000)])
    accept = SubmitField(_l("Accept the chosen"))
    send_back = SubmitField(_l("Return the chosen"))
