from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.auth.forms import locale_choices
from tracker.core.forms import BaseForm, to_choices
from tracker.core.permissions import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.DIRECTOR: _l("Director (approves plans)"),
    Role.CONTROLLER: _l("Secretariat (controller)"),
    Role.UNIT_HEAD: _l("Head of unit"),
    Role.EXECUTOR: _l("Executor (unit staff)"),
    Role.VIEWER: _l("Viewer"),
}


class UnitForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    parent_id = SelectField(_l("Part of"), coerce=int, choices=[])
    is_active = BooleanField(_l("Active"), default=True)


class UserForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=300)])
    unit_id = SelectField(_l("Unit"), coerce=int, choices=[])
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[],
        validators=[DataRequired()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    locale = SelectField(_l("Language"), choices=[])
    is_active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = to_choices((r.value, label) for r, label in ROLE_LABELS.items())
        self.locale.choices = locale_choices()


#: What the audit trail calls each kind of thing and each action, for people.
AUDIT_ENTITY_LABELS = {
    "organization": _l("Organization"),
    "unit": _l("Unit"),
    "user": _l("User"),
    "api_token": _l("API token"),
    "plan": _l("Plan"),
    "measure": _l("Measure"),
    "step": _l("Step"),
    "status_update": _l("Status report"),
    "comment": _l("Comment"),
    "deadline_extension": _l("Deadline extension"),
    "meeting": _l("Meeting"),
    "obligation_period": _l("Reporting period of a standing duty"),
    "report_job": _l("Report"),
    "reminder_policy": _l("Reminder policy"),
    "holiday": _l("Holiday"),
    "calendar_feed": _l("Calendar feed"),
    "notification_settings": _l("Notification settings"),
    "outbound_email": _l("Outgoing e-mail"),
}
AUDIT_ACTION_LABELS = {
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "move": _l("moved"),
    "submit": _l("sent for approval"),
    "approve": _l("approved"),
    "return": _l("returned"),
    "revise": _l("new version started"),
    "close": _l("closed"),
    "accept": _l("accepted"),
    "revoke": _l("revoked"),
    "withdraw": _l("withdrawn"),
    "approve_from_document": _l("approved as the signed document says"),
    "create_from_import": _l("created by an import"),
    "import": _l("imported"),
    "duty": _l("made a standing duty"),
    "report": _l("reported"),
    "reassign": _l("responsible units changed"),
    "request": _l("requested"),
    "record": _l("recorded"),
    "grant": _l("granted"),
    "refuse": _l("refused"),
    "requeue": _l("queued again"),
    "publish": _l("published"),
    "unpublish": _l("withdrawn from the public"),
    "publication_choices": _l("what is public changed"),
    "reimport": _l("updated from a file"),
}
