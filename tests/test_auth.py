"""Signing in and out, throttling, sessions, passwords and profile."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, flashes, login, post_form, reload
from tracker.auth.models import LoginFailure
from tracker.auth.services import create_user
from tracker.core.errors import InvalidInput
from tracker.core.permissions import Role


def test_sign_in_and_out(db, client, make_user):
    user = make_user(Role.VIEWER, email="viewer@example.uz")
    response = post_form(client, "/login", {"email": "  Viewer@Example.UZ ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert client.get("/plans").status_code == 200
    assert post_form(client, "/logout").status_code == 302
    assert client.get("/plans").status_code == 302  # back to the sign-in page
    assert user.is_authenticated


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(db, client, make_user):
    user = make_user(Role.VIEWER)
    response = post_form(client, "/login", {"email": user.email, "password": "wrong-password"})
    unknown = post_form(client, "/login", {"email": "nobody@example.uz", "password": "wrong-password"})
    assert response.status_code == unknown.status_code == 200
    assert flashes(response) == flashes(unknown)


def test_repeated_failures_lock_sign_in_even_with_the_right_password(db, client, make_user, app):
    user = make_user(Role.VIEWER)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_form(client, "/login", {"email": user.email, "password": "guess"})
    locked = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert client.get("/plans").status_code == 302
    assert db.session.scalar(select(func.count(LoginFailure.id))) == app.config["LOGIN_MAX_FAILURES"]


def test_a_successful_sign_in_clears_earlier_failures(db, client, make_user):
    user = make_user(Role.VIEWER)
    post_form(client, "/login", {"email": user.email, "password": "guess"})
    login(client, user)
    assert db.session.scalar(select(func.count(LoginFailure.id)).where(LoginFailure.email == user.email)) == 0


def test_inactive_users_cannot_sign_in(db, client, make_user):
    user = make_user(Role.VIEWER, is_active=False)
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and client.get("/plans").status_code == 302


def test_passwords_are_stored_hashed(db, organization):
    user = create_user(
        email="new@example.uz",
        name="Янги",
        password="s3cret-pass",
        organization=organization,
        roles={Role.EXECUTOR},
    )
    assert "s3cret-pass" not in user.password_hash and user.check_password("s3cret-pass")
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_a_password_change_ends_other_sessions(db, client, make_user, app):
    user = make_user(Role.VIEWER)
    login(client, user)
    elsewhere = app.test_client()
    login(elsewhere, user)
    response = post_form(
        client,
        "/profile",
        {
            "name": user.name,
            "locale": "",
            "current_password": PASSWORD,
            "new_password": "new-password-1",
            "confirm_password": "new-password-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/plans").status_code == 200  # the session that changed it stays signed in
    assert elsewhere.get("/plans").status_code == 302


def test_redirect_after_sign_in_stays_on_this_site(db, client, make_user):
    user = make_user(Role.VIEWER)
    response = post_form(
        client, "/login?next=https://evil.example/", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/inbox")
    other = client.application.test_client()
    response = post_form(other, "/login?next=/profile", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/profile")


def test_profile_saves_language_and_email_preference(db, client, make_user):
    user = make_user(Role.EXECUTOR)
    login(client, user)
    response = post_form(
        client, "/profile", {"name": "Н. Турсунов", "position": "Бош мутахассис", "locale": "ru"}
    )
    assert response.status_code == 302
    user = reload(user)
    assert (user.name, user.position, user.locale, user.wants_email) == (
        "Н. Турсунов",
        "Бош мутахассис",
        "ru",
        False,
    )


def test_users_are_kept_apart_by_email(db, make_user, organization):
    make_user(Role.VIEWER, email="same@example.uz")
    with pytest.raises(InvalidInput, match="same@example.uz"):
        create_user(
            email="SAME@example.uz",
            name="x",
            password="password-1",
            organization=organization,
            roles={Role.VIEWER},
        )


@pytest.mark.parametrize("user_id", ["99999999999999999999", "2147483648", "0", "x1"])
def test_a_session_naming_no_possible_user_signs_nobody_in(db, client, make_user, user_id):
    """A session whose user id is beyond any id (a cookie signed with a leaked key, say) is
    nobody's: the sign-in page, not a database error."""
    login(client, make_user(Role.VIEWER))
    with client.session_transaction() as session:
        assert session["_user_id"]  # signed in, with the browser's identifier kept
        session["_user_id"] = f"{user_id}:0:abcdef"
    response = client.get("/plans")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
