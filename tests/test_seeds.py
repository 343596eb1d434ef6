"""A missing seed folder is a failure that names the folders looked in, never a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seeds import seed_file


def test_missing_seed_fails_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SEEDS_DIR", str(tmp_path / "absent"))
    with pytest.raises(pytest.fail.Exception, match="seed 003_.*not found.*absent"):
        seed_file("003")


def test_present_seed_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "003_plan.txt").write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRACKER_SEEDS_DIR", str(tmp_path))
    assert seed_file("003") == tmp_path / "003_plan.txt"
