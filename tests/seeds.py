"""Where the seed documents live, for every test that reads them: one place, one loud failure.

The seeds (``shared/seeds/NNN_*.txt``) sit in ``shared/`` beside the repository, or beside the
worktrees' folder (``/work/wt/shared``); ``TRACKER_SEEDS_DIR`` names another folder. A test that
needs a seed and cannot find it FAILS with the folders it looked in — never a silent skip, in CI
or locally: a skipped seed test is a test that did not run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def seeds_dirs() -> tuple[Path, ...]:
    """The folders searched, in order."""
    named = os.environ.get("TRACKER_SEEDS_DIR")
    if named:
        return (Path(named),)
    return (REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT.parents[1] / "shared" / "seeds")


def seed_file(prefix: str) -> Path:
    """The seed whose name starts with ``prefix`` ("003"); fails the test, saying why, when absent."""
    folders = seeds_dirs()
    for folder in folders:
        matches = sorted(folder.glob(f"{prefix}_*.txt")) if folder.is_dir() else []
        if matches:
            return matches[0]
    looked = ", ".join(str(f) for f in folders)
    pytest.fail(
        f"seed {prefix}_*.txt not found (looked in: {looked}). The seeds are part of the test data: "
        "check out shared/ beside the repository, or set TRACKER_SEEDS_DIR to its seeds folder.",
        pytrace=False,
    )
