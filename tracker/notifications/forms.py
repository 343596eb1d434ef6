from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import DataRequired

from tracker.core.forms import BaseForm, to_choices

#: "never" is not an e-mail timing: it switches e-mail off (users.wants_email).
NEVER = "never"


class NotificationSettingsForm(BaseForm):
    email = RadioField(_l("Send me e-mail about my notifications"), choices=[], validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email.choices = to_choices(
            [
                ("immediate", _l("At once, one e-mail for each")),
                ("daily", _l("In one daily digest at 09:00 (recommended)")),
                (NEVER, _l("Never: only here in the app")),
            ]
        )
