"""Every kind of record and every action the code writes to the audit trail has a label for people.

The trail once showed "obligation_period #64 — report": raw keys of a feature added later. The
labels live in one mapping (tracker/admin/forms.py); this test reads every ``audit.record(...)``
call in the code, so a new kind or action without a label fails here, not in front of an auditor.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tracker.admin.forms import AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS
from tracker.core.audit import OWNER_SQL

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"


def _literals(node: ast.expr) -> set[str]:
    """The string values an argument can take: a literal, or both branches of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    return set()


def _audit_calls() -> list[tuple[str, int, ast.expr, ast.expr]]:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 4:
                continue
            func = node.func
            is_audit = isinstance(func, ast.Attribute) and ast.unparse(func.value) == "audit"
            if is_audit and func.attr == "record":
                calls.append((str(path.relative_to(PACKAGE)), node.lineno, node.args[1], node.args[3]))
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
