import os
from pathlib import Path

import pytest

from orchestration import dbt_paths


def test_manifest_is_stale_when_missing_or_older_than_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "dbt_project"
    (project / "models" / "marts").mkdir(parents=True)
    (project / "target").mkdir()
    model = project / "models" / "marts" / "fct_x.sql"
    model.write_text("select 1")
    (project / "dbt_project.yml").write_text("name: x")
    monkeypatch.setattr(dbt_paths, "DBT_PROJECT_DIR", project)
    monkeypatch.setattr(dbt_paths, "MANIFEST_PATH", project / "target" / "manifest.json")

    assert dbt_paths.manifest_is_stale()  # missing
    dbt_paths.MANIFEST_PATH.write_text("{}")
    now = dbt_paths.MANIFEST_PATH.stat().st_mtime
    os.utime(model, (now - 10, now - 10))
    os.utime(project / "dbt_project.yml", (now - 10, now - 10))
    assert not dbt_paths.manifest_is_stale()
    os.utime(model, (now + 10, now + 10))
    assert dbt_paths.manifest_is_stale()
