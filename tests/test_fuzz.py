"""No input gives a 500: every route of ``app.url_map``, anonymous and as every role, with
malformed and extreme values in every path argument, query parameter, form field and API body.

Runs on SQLite and (with TRACKER_TEST_DATABASE_URL) on PostgreSQL, where NUL bytes, integers
beyond 32 bits and words over 2,047 bytes each used to fail inside the database.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.conftest import csrf_token, login
from tests.hardening_world import OrgWorld, add_optional_ids, build_org, parameter_names
from tracker.core.permissions import Role
from tracker.orgs.models import Organization

LONG_WORD = "ʻ" * 1500 + "a" * 2100  # > 2,047 bytes: PostgreSQL's limit for one word in a tsvector

#: Values that broke something once, or that a careless user or an attacker would send.
HOSTILE_VALUES = [
    "",
    "0",
    "-1",
    "2147483648",
    "9223372036854775808",
    "9" * 40,
    "1e309",
    "NaN",
    "²",
    "١٢",
    "abc",
    "nul\x00byte",
    LONG_WORD,
    "x" * 20_000,
    "9999-12",
    "0000-01-01",
    "9999-12-31",
    "1899-12-31",
    "2024-02-30",
    "2024-13",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "/\t/evil.com",
    "\r\nSet-Cookie: x=1",
    "superuser",
    "латиница аралаш Cyrillic ўзбек",
]
EXTREME_IDS = ["0", "2147483648", "99999999999999999999"]
STRING_ARGS = ["x", "a" * 3000, "..%2F..%2Fetc", "ўзбек"]
#: Requests that would end the walk's own session or take minutes by design are left out.
SKIPPED_ENDPOINTS = {"static", "auth.logout"}
#: Reports render a PDF per request: fewer values there keep the walk within its time budget.
HEAVY_ENDPOINTS = {"reports.plan_pdf", "reports.summary_pdf", "exports.export"}
IDENTITIES = ["anonymous", *[r.value for r in Role]]
API_BODIES: list[Any] = [
    [],
    "text",
    123,
    None,
    {"status": ["done"], "note": {"a": 1}},
    {"status": "done", "note": "x" * 100_000},
    {"status": "in_progress", "note": "ok", "lock_version": "²"},
    {"status": "in_progress", "note": "ok", "lock_version": 2**70},
    {"status": "in_progress", "note": "nul\u0000", "effective_on": "9999-99-99"},
]


@pytest.fixture
def walk_world(db, organization, make_unit, make_user, make_plan) -> OrgWorld:
    world = build_org(
        db, organization=organization, make_unit=make_unit, make_user=make_user, make_plan=make_plan, tag="A"
    )
    add_optional_ids(db, world)
    db.session.commit()  # releases a savepoint only: requests' rollbacks cannot undo the world
    return world


def _path_variants(rule: Rule, world: OrgWorld) -> list[dict[str, str]]:
    """Path values: real ids first, then each argument made extreme in turn."""
    real: dict[str, str] = {}
    for name in rule.arguments:
        converter = rule._converters[name]  # noqa: SLF001 (the only way to read a rule's converters)
        if type(converter).__name__ == "AnyConverter":
            real[name] = sorted(converter.items)[0]
        elif type(converter).__name__ in ("IdConverter", "IntegerConverter"):
            real[name] = str(world.ids.get(name, 1))
        else:
            real[name] = "uz_Latn" if name == "code" else "x"
    variants = [real]
    for name in rule.arguments:
        converter_name = type(rule._converters[name]).__name__  # noqa: SLF001
        if converter_name in ("IdConverter", "IntegerConverter"):
            variants += [{**real, name: value} for value in EXTREME_IDS]
        elif converter_name != "AnyConverter":
            variants += [{**real, name: value} for value in STRING_ARGS]
    return variants


def _url(rule: Rule, values: dict[str, str]) -> str:
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]


class Walk:
    """Sends the requests and keeps count; hostile values rotate so that every role sends others."""

    def __init__(self, app: Flask, world: OrgWorld) -> None:
        self.app, self.world = app, world
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.values = itertools.cycle(HOSTILE_VALUES)
        self.extremes = itertools.cycle(range(len(EXTREME_IDS)))

    def send(self, client: Any, method: str, url: str, **kwargs: Any) -> None:
        response = client.open(url, method=method, **kwargs)
        response.close()  # file downloads hold their file open until then
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            detail = kwargs.get("data") or kwargs.get("json") or kwargs.get("query_string")
            self.failures.append(f"{response.status_code} {method} {url[:120]} {str(detail)[:200]}")

    def client_for(self, identity: str) -> tuple[Any, dict[str, str]]:
        client = self.app.test_client()
        if identity == "anonymous":
            return client, {}
        login(client, self.world.users[identity])
        return client, {"Authorization": f"Bearer {self.world.tokens[identity]}"}

    def walk_rule(
        self, client: Any, rule: Rule, names: list[str], share: tuple[int, int], auth: dict[str, str]
    ) -> None:
        """The real URL, one extreme path, and this identity's share of the parameters, each hostile."""
        token = auth.pop("csrf", "")
        is_api = rule.rule.startswith("/api/")
        headers = {k: v for k, v in auth.items()} if is_api else {}
        real, *extremes = _path_variants(rule, self.world)
        urls = [_url(rule, real)]
        if extremes:  # each identity aims a different extreme value at each argument
            urls += [_url(rule, extremes[(next(self.extremes) + i) % len(extremes)]) for i in range(2)]
        mine = (
            names[share[0] :: share[1]]
            if rule.endpoint not in HEAVY_ENDPOINTS
            else names[share[0] :: share[1] * 3]
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for url in urls:
                if method == "GET":
                    self.send(client, "GET", url, headers=headers)
                elif is_api:
                    self.send(client, method, url, json={}, headers=headers)
                else:
                    self.send(client, method, url + "?next=/%09/evil.com", data={"csrf_token": token})
            url = urls[0]
            for name in mine:
                if method == "GET":
                    self.send(client, "GET", url, query_string={name: next(self.values)}, headers=headers)
                elif not is_api:
                    self.send(client, method, url, data={"csrf_token": token, name: next(self.values)})
            if method != "GET" and not is_api and names:
                self.send(
                    client, method, url, data={"csrf_token": token, **{n: next(self.values) for n in names}}
                )
            if method != "GET" and is_api:
                for body in API_BODIES:
                    self.send(client, method, url, json=body, headers=headers)
                bad = {**headers, "Content-Type": "application/json"}
                self.send(client, method, url, data=b"{not json", headers=bad)


def test_no_input_gives_a_server_error(app, walk_world):
    walk = Walk(app, walk_world)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS]
    names = {rule.endpoint: parameter_names(app, rule.endpoint) for rule in rules}
    roles = [r.value for r in Role]
    for identity in IDENTITIES:
        client, api_auth = walk.client_for(identity)
        api_auth["csrf"] = csrf_token(client)
        # Each role sends its share of the parameters, three times over the roles: every parameter
        # gets several different hostile values; anonymous visitors only reach the sign-in page.
        share = (roles.index(identity) % 2, 2) if identity in roles else (0, 1000)
        for rule in rules:
            started = time.perf_counter()
            before = sum(walk.statuses.values())
            walk.walk_rule(client, rule, names[rule.endpoint], share, dict(api_auth))
            if os.environ.get("FUZZ_PROFILE"):
                print(
                    identity,
                    rule.endpoint,
                    sum(walk.statuses.values()) - before,
                    round(time.perf_counter() - started, 2),
                    flush=True,
                )
    total = sum(walk.statuses.values())
    assert walk.failures == [], f"{len(walk.failures)} of {total} requests failed:\n" + "\n".join(
        walk.failures[:80]
    )
    assert total >= 5000, f"only {total} requests"
    assert walk.statuses[200] > 300 and walk.statuses[400] > 100, walk.statuses


def test_the_walk_reaches_other_organizations_objects_only_as_404_or_403(
    app, walk_world, db, make_unit, make_user, make_plan
):
    """The same walk's real-id requests, aimed at a second organization's objects, find nothing."""
    other = Organization(name="Second agency")
    db.session.add(other)
    db.session.flush()
    second = build_org(
        db, organization=other, make_unit=make_unit, make_user=make_user, make_plan=make_plan, tag="B"
    )
    db.session.commit()
    leaks = []
    client, api_auth = Walk(app, walk_world).client_for("admin")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS or "GET" not in (rule.methods or ()) or not rule.arguments:
            continue
        values = {name: str(second.ids[name]) for name in rule.arguments if name in second.ids}
        if len(values) != len(rule.arguments):
            continue
        response = client.get(_url(rule, values), headers=api_auth if rule.rule.startswith("/api/") else {})
        if response.status_code not in (403, 404):
            leaks.append(f"{rule.rule} → {response.status_code}")
    assert leaks == []
