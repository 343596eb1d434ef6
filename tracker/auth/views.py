"""Sign in, sign out, the profile page and personal API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug import Response

from tracker.auth import services
from tracker.auth.forms import LoginForm, ProfileForm, TokenForm
from tracker.auth.models import ApiToken
from tracker.core.forms import EmptyForm
from tracker.core.permissions import login_only, public
from tracker.core.preferences import set_own_preferences
from tracker.core.web import run_service, safe_next
from tracker.extensions import db

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except services.SignInLocked as error:
            flash(error.message, "danger")
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        # A failed attempt is kept (the edge commits a 200): it is what the lock counts.
        if user is None:
            flash(_("Wrong e-mail or password."), "danger")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("inbox.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_only
def logout() -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.end_sessions(current_user)  # the old cookie (and remember-me) must not work again
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_only
def profile() -> Response | str:
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
        form.content_script.data = current_user.reading_script or ""
    if form.validate_on_submit() and run_service(lambda: _save_profile(form)):
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("auth/profile.html", form=form, token_form=TokenForm(formdata=None), tokens=tokens)


@bp.post("/profile/tokens")
@login_only
def create_token() -> Response | str:
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "danger")
        return redirect(url_for("auth.profile"))
    api_token, token = services.create_api_token(current_user, form.name.data, actor=current_user)
    return render_template("auth/token_created.html", api_token=api_token, token=token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_only
def revoke_token(token_id: int) -> Response:
    api_token = db.get_or_404(ApiToken, token_id)
    if api_token.user_id != current_user.id or not EmptyForm().validate_on_submit():
        abort(403 if api_token.user_id != current_user.id else 400)
    run_service(lambda: services.revoke_api_token(api_token, actor=current_user), _("The token is revoked."))
    return redirect(url_for("auth.profile"))


def _save_profile(form: ProfileForm) -> None:
    services.update_user(
        current_user,
        actor=current_user,
        name=form.name.data,
        position=form.position.data or None,
        wants_email=form.wants_email.data,
    )
    # One's own language and reading script are display preferences, not audited (issue 13).
    preferences = {"locale": form.locale.data or None}
    if form.content_script.raw_data:  # a form without the field leaves the setting as it is
        preferences["reading_script"] = form.content_script.data or None
    set_own_preferences(current_user, **preferences)
    if form.new_password.data:
        revoked = services.change_password(
            current_user,
            current_password=form.current_password.data or "",
            new_password=form.new_password.data,
            revoke_tokens=bool(form.revoke_tokens.data),
        )
        # The user itself, not the proxy: a proxy stored as the user would resolve to itself.
        login_user(current_user._get_current_object())  # this session carries on under the new epoch
        if revoked:
            flash(ngettext("%(num)s API token was ended.", "%(num)s API tokens were ended.", revoked), "info")
