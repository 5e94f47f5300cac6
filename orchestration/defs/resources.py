"""Resources: the Warden runtime (settings, control plane, scopes) and the dbt CLI."""


from functools import lru_cache

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_paths import DBT_EXECUTABLE, DBT_PROJECT_DIR
from orchestration.runtime import Runtime


@lru_cache(maxsize=8)
def _runtime(data_dir: str | None) -> Runtime:
    return Runtime.from_env(data_dir)


class WardenResource(dg.ConfigurableResource):
    """Settings come from WARDEN_* env vars; `data_dir` overrides (tests, the demo)."""

    data_dir: str | None = None

    def runtime(self) -> Runtime:
        return _runtime(self.data_dir)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warden": WardenResource(),
            "dbt": DbtCliResource(project_dir=str(DBT_PROJECT_DIR),
                                  profiles_dir=str(DBT_PROJECT_DIR),
                                  dbt_executable=str(DBT_EXECUTABLE)),
        }
    )
