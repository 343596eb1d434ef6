from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from tracker.core.forms import BaseForm, to_choices
from tracker.core.i18n import LANGUAGE_NAMES


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))


def locale_choices() -> list[SelectChoice]:
    return to_choices([("", _l("As in my browser")), *LANGUAGE_NAMES.items()])


def reading_script_choices() -> list[SelectChoice]:
    """The scripts plan content can be read in; "" shows it as written."""
    return to_choices(
        [
            ("", _l("As written")),
            ("latn", _l("Latin script")),
            ("cyrl", _l("Cyrillic script")),
        ]
    )


class ProfileForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=300)])
    locale = SelectField(_l("Language"), choices=[], validate_choice=True)
    content_script = SelectField(
        _l("Script of the plan text"),
        choices=[],
        default="",
        validate_choice=True,
        description=_l(
            "Plan content (measures, steps, notes) is shown in this script; the stored text never changes."
        ),
    )
    wants_email = BooleanField(_l("Send me reminders by e-mail"))
    current_password = PasswordField(_l("Current password"), validators=[Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[Optional(), Length(min=8, max=200)])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The passwords differ."))],
    )
    revoke_tokens = BooleanField(_l("Also end my API tokens (programs using them must get new ones)"))

    def validate_current_password(self, field: PasswordField) -> None:
        if self.new_password.data and not field.data:
            raise ValidationError(_l("Type your current password to set a new one."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_choices()
        self.content_script.choices = reading_script_choices()


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
