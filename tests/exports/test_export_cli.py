"""``flask plans export``."""

from __future__ import annotations

import json

import pytest
from _import_docs import seed, xlsx_bytes


@pytest.fixture
def cli(app, db):
    return app.test_cli_runner()


def test_export_json_csv_and_xlsx(cli, db, organization, tmp_path):
    path = tmp_path / "roadmap.xlsx"
    path.write_bytes(xlsx_bytes(*seed("004")))
    plan_id = cli.invoke(args=["plans", "import", str(path)]).stdout.strip().splitlines()[-1]
    result = cli.invoke(args=["plans", "export", plan_id, "--format", "json", "--as-of", "2022-10-04"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2022-10-04" and len(data["measures"]) == 8
    out = tmp_path / "plan.xlsx"
    result = cli.invoke(
        args=["plans", "export", plan_id, "--format", "xlsx", "--script", "latn", "-o", str(out)]
    )
    assert result.exit_code == 0 and out.read_bytes().startswith(b"PK")
    result = cli.invoke(args=["plans", "export", plan_id, "--format", "csv", "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == 0 and (tmp_path / "p.csv").read_bytes().startswith("\ufeff".encode())
    assert cli.invoke(args=["plans", "export", "999999"]).exit_code != 0
