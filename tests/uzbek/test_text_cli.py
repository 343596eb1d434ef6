"""The ``flask text`` command group, invoked directly with CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tracker.text import text_cli
from tracker.text.cli import text_cli as text_cli_module


def run(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(text_cli, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_group_is_an_appgroup_named_text() -> None:
    from flask.cli import AppGroup

    assert text_cli is text_cli_module
    assert isinstance(text_cli, AppGroup)
    assert text_cli.name == "text"
    assert set(text_cli.commands) == {"translit", "deadline", "basis"}


def test_translit_to_latin_keeps_lines() -> None:
    out = run("translit", "--to", "latn", input="Иш режаси\n\nТАСДИҚЛАЙМАН\n")
    assert out == "Ish rejasi\n\nTASDIQLAYMAN\n"


def test_translit_to_cyrillic_without_final_newline() -> None:
    assert (
        run("translit", "--to", "cyrl", input="Yoʻl xaritasi\n\n\nPF-200-son")
        == "Йўл харитаси\n\n\nПФ-200-сон"
    )


def test_translit_requires_a_valid_target() -> None:
    result = CliRunner().invoke(text_cli, ["translit", "--to", "arab"], input="x")
    assert result.exit_code != 0


def test_deadline_single() -> None:
    data = json.loads(run("deadline", "Ҳар чоракда", "--year", "2024"))
    assert data == {
        "text": "Ҳар чоракда",
        "kind": "recurring",
        "start": "2024-01-01",
        "due": "2024-12-31",
        "recurrence": "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
        "term": None,
    }


def test_deadline_several_and_unicode_output() -> None:
    out = run("deadline", "2024 йил апрель 2024 йил июнь")
    assert "апрель" in out  # ensure_ascii=False
    data = json.loads(out)
    assert [d["due"] for d in data] == ["2024-04-30", "2024-06-30"]


def test_deadline_unknown() -> None:
    assert json.loads(run("deadline", "Бажарилди"))["kind"] == "unknown"


def test_basis() -> None:
    data = json.loads(run("basis", "29.06.2020 й. ПФ-6013-сон, 27.11.2023 й. ПФ-200-сон Фармонлари"))
    assert data == [
        {"kind": "PF", "number": "6013", "date": "2020-06-29", "issuer": "president"},
        {"kind": "PF", "number": "200", "date": "2023-11-27", "issuer": "president"},
    ]


def test_basis_empty() -> None:
    assert json.loads(run("basis", "йўқ")) == []
