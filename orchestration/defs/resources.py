"""Resources: the Warden runtime (settings, control plane, scopes) and the dbt CLI."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_paths import DBT_EXECUTABLE, DBT_PROJECT_DIR
from orchestration.runtime import Runtime
from warden.settings import Settings, load_settings

_RUNTIMES: dict[str, Runtime] = {}


def _runtime_for(settings: Settings) -> Runtime:
    """One runtime (and control-plane engine) per distinct configuration in this process."""
    key = settings.model_dump_json()
    if key not in _RUNTIMES:
        _RUNTIMES[key] = Runtime(settings)
    return _RUNTIMES[key]


class WardenResource(dg.ConfigurableResource):
    """Settings come from WARDEN_* env vars; `data_dir` overrides (tests, the demo)."""

    data_dir: str | None = None

    def runtime(self) -> Runtime:
        return _runtime_for(load_settings(**({"data_dir": self.data_dir} if self.data_dir else {})))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            # step outputs (PRs, changed files with code) stay in the run's memory: the only
            # persisted copy of vendor data is landing, which is redacted
            "io_manager": dg.mem_io_manager,
            "warden": WardenResource(),
            "dbt": DbtCliResource(
                project_dir=str(DBT_PROJECT_DIR),
                profiles_dir=str(DBT_PROJECT_DIR),
                dbt_executable=str(DBT_EXECUTABLE),
            ),
        }
    )
