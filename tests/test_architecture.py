"""The import contract of tracker/ (docs/architecture.md), checked by reading the source.

The checker is :mod:`tests.import_contract`; the tests below feed it synthetic packages to show
that it fails on each kind of wrong import, and hold tracker/ to it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.import_contract import Report, check

TRACKER = Path(__file__).resolve().parent.parent / "tracker"

#: Known violations allowed for now, each with its reason. Empty: tracker keeps the contract. An
#: entry that no longer occurs fails the test, so the list can only shrink.
ALLOWED: set[str] = set()


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root / "pkg"


def _package(tmp_path: Path, **extra: str) -> Path:
    """A small package laid out like tracker/, which keeps the contract; ``extra`` breaks it."""
    files = {
        "pkg/__init__.py": "from pkg.plans import views\n",
        "pkg/extensions.py": "db = None\n",
        "pkg/core/__init__.py": "",
        "pkg/core/locking.py": "from pkg.extensions import db\n\ndef check_version():\n    return db\n",
        "pkg/plans/__init__.py": "",
        "pkg/plans/models.py": "from pkg.core.locking import check_version\n",
        "pkg/plans/access.py": (
            "from pkg.plans.models import check_version\n\ndef get_plan_or_404():\n    pass\n"
        ),
        "pkg/plans/views.py": "from pkg.plans import access\n\nbp = access.get_plan_or_404\n",
        "pkg/execution/__init__.py": "",
        "pkg/execution/services.py": (
            "from typing import TYPE_CHECKING\n"
            "from pkg.plans.access import get_plan_or_404\n"
            "if TYPE_CHECKING:\n    from pkg.execution.views import bp\n"
        ),
        "pkg/execution/views.py": "from pkg.execution import services\n",
    }
    files.update({name.replace("__", "/") + ".py": source for name, source in extra.items()})
    return _write(tmp_path, files)


def test_a_package_that_keeps_the_contract_passes(tmp_path: Path) -> None:
    report = check(_package(tmp_path))
    assert report.problems() == []
    assert report.deferred_cycles == []


def test_core_importing_a_feature_fails(tmp_path: Path) -> None:
    report = check(_package(tmp_path, pkg__core__web="from pkg.plans.access import get_plan_or_404\n"))
    assert report.layers == ["pkg.core.web:1 (library) imports the feature module pkg.plans.access"]


def test_a_deferred_import_of_a_feature_in_core_fails_too(tmp_path: Path) -> None:
    source = "def f():\n    from pkg.execution import services\n"
    report = check(_package(tmp_path, pkg__core__web=source))
    assert report.layers == ["pkg.core.web:2 (library) imports the feature module pkg.execution.services"]


def test_importing_another_features_views_fails(tmp_path: Path) -> None:
    report = check(_package(tmp_path, pkg__execution__pages="from pkg.plans.views import bp\n"))
    assert report.views == ["pkg.execution.pages:1 imports another feature's views pkg.plans.views"]


def test_a_private_name_of_another_module_fails_by_name_and_through_an_alias(tmp_path: Path) -> None:
    report = check(
        _package(
            tmp_path,
            pkg__plans__jobs="from pkg.plans.access import _secret\n",
            pkg__execution__jobs="from pkg.plans import access as plan_access\n\nplan_access._hidden()\n",
        )
    )
    assert sorted(report.private) == [
        "pkg.execution.jobs uses private _hidden of pkg.plans.access",
        "pkg.plans.jobs:1 uses private _secret of pkg.plans.access",
    ]


def test_a_cycle_of_module_imports_fails(tmp_path: Path) -> None:
    report = check(_package(tmp_path, pkg__plans__models="from pkg.plans.access import get_plan_or_404\n"))
    assert report.cycles == ["pkg.plans.access ⇄ pkg.plans.models"]


def test_a_cycle_closed_by_a_deferred_import_is_reported_apart(tmp_path: Path) -> None:
    source = "def f():\n    from pkg.plans.access import get_plan_or_404\n"
    report = check(_package(tmp_path, pkg__plans__models=source))
    assert report.cycles == []
    assert report.deferred_cycles == ["pkg.plans.access ⇄ pkg.plans.models"]


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    report = check(_package(tmp_path, pkg__core__web="from ..plans import access\n"))
    assert report.layers == ["pkg.core.web:1 (library) imports the feature module pkg.plans.access"]


@pytest.fixture(scope="module")
def tracker_report() -> Report:
    return check(TRACKER)


def test_tracker_keeps_the_import_contract(tracker_report: Report) -> None:
    found = set(tracker_report.problems()) | set(tracker_report.deferred_cycles)
    assert sorted(found - ALLOWED) == []


def test_the_allow_list_only_names_violations_that_still_occur(tracker_report: Report) -> None:
    found = set(tracker_report.problems()) | set(tracker_report.deferred_cycles)
    assert sorted(ALLOWED - found) == []
