"""Every kind of record and every action the code writes to the audit trail has a label for people.

The trail once showed "obligation_period #64 — report": raw keys of a feature added later. The
labels live in one mapping (tracker/admin/forms.py); this test reads every ``audit.record(...)``
call in the code, so a new kind or action without a label fails here, not in front of an auditor.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tracker.admin.audit_view import FIELD_LABELS
from tracker.admin.forms import AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS
from tracker.core.audit import OWNER_SQL

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"


def _literals(node: ast.expr) -> set[str]:
    """The string values an argument can take: a literal, both branches of ``a if c else b``, or
    every value a helper's callers pass (a tuple built by :func:`_passed_on`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    if isinstance(node, ast.Tuple) and node.elts:
        values = [_literals(e) for e in node.elts]
        return set().union(*values) if all(values) else set()
    return set()


def _is_audit_record(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and ast.unparse(node.func.value) == "audit"
    )


def _audit_calls_nodes() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(str(path.relative_to(PACKAGE)), n) for n in ast.walk(tree) if _is_audit_record(n)]
    return found


def _passed_on(tree: ast.Module, name: str) -> dict[ast.Call, ast.expr]:
    """For a helper ``def f(..., action, ...)`` that passes its parameter ``action`` on to
    ``audit.record``: each audit call inside it, mapped to what the module's calls of ``f`` give
    that parameter, as a tuple of the arguments."""
    result: dict[ast.Call, ast.expr] = {}
    for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        params = [a.arg for a in func.args.args]
        for call in (n for n in ast.walk(func) if _is_audit_record(n)):
            arg = call.args[3] if len(call.args) >= 4 else None
            if not (isinstance(arg, ast.Name) and arg.id in params) or name != "action":
                continue
            index = params.index(arg.id)
            given = [
                c.args[index] if len(c.args) > index else next(k.value for k in c.keywords if k.arg == arg.id)
                for c in ast.walk(tree)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == func.name
            ]
            result[call] = ast.Tuple(elts=given) if given else arg
    return result


def _audit_calls() -> list[tuple[str, int, ast.expr, ast.expr]]:
    """(file, line, kind, action) of every ``audit.record(actor, kind, id, action, ...)``; an
    action that a helper takes as a parameter stands for what the helper's callers pass."""
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        through_helpers = _passed_on(tree, "action")
        where = str(path.relative_to(PACKAGE))
        for call in (n for n in ast.walk(tree) if _is_audit_record(n) and len(n.args) >= 4):
            calls.append((where, call.lineno, call.args[1], through_helpers.get(call, call.args[3])))
    return calls


def test_the_code_writes_audit_entries():
    # The scan itself must find the calls, or the checks below would pass on nothing.
    assert len(_audit_calls()) > 30


def test_every_kind_and_action_written_has_a_label():
    unlabelled = []
    for where, line, kind, action in _audit_calls():
        kinds, actions = _literals(kind), _literals(action)
        if not kinds or not actions:
            unlabelled.append(f"{where}:{line}: kind or action is not a literal the test can read")
        unlabelled += [f"{where}:{line}: kind {k!r}" for k in kinds - AUDIT_ENTITY_LABELS.keys()]
        unlabelled += [f"{where}:{line}: action {a!r}" for a in actions - AUDIT_ACTION_LABELS.keys()]
    assert not unlabelled, "\n".join(unlabelled)


def test_every_kind_that_finds_its_organization_has_a_label():
    assert set(OWNER_SQL) <= AUDIT_ENTITY_LABELS.keys()


def test_every_field_an_entry_records_has_a_label():
    """The keys of the before/after dictionaries written in place, and the audited field lists."""
    from tracker.auth.services import USER_AUDIT_FIELDS
    from tracker.open.services import _CHOICES as PUBLICATION_CHOICES
    from tracker.orgs.services import UNIT_FIELDS
    from tracker.plans.services import MEASURE_FIELDS, PLAN_FIELDS, STEP_FIELDS

    keys = {
        *USER_AUDIT_FIELDS,
        *PUBLICATION_CHOICES,
        *UNIT_FIELDS,
        *MEASURE_FIELDS,
        *PLAN_FIELDS,
        *STEP_FIELDS,
    }
    for _where, call in _audit_calls_nodes():
        for keyword in call.keywords:
            if isinstance(keyword.value, ast.Dict):
                keys |= {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
    assert len(keys) > 40
    assert sorted(keys - FIELD_LABELS.keys()) == []
