from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from tracker.core.forms import BaseForm, to_choices
from tracker.core.i18n import LANGUAGE_NAMES


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


def locale_choices() -> list[SelectChoice]:
    return to_choices([("", _l("As in my browser")), *LANGUAGE_NAMES.items()])


class ProfileForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=300)])
    locale = SelectField(_l("Language"), choices=[], validate_choice=True)
    wants_email = BooleanField(_l("Send me reminders by e-mail"))
    new_password = PasswordField(_l("New password"), validators=[Optional(), Length(min=8, max=200)])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The passwords differ."))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_choices()


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
