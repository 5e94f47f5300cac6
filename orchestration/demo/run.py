"""`warden demo`: the whole platform on loopback, fed by the sandbox world's webhook stream.

Interactive: sandbox GitHub, webhook receiver, Dagster UI + daemon and Streamlit, URLs
printed, Ctrl-C stops everything. `--check`: the same without the UIs, exiting 0 only when
comments were posted and every tenant's serving snapshot holds that tenant's PRs.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.webhooks import WebhookPlayer
from ingestion.sandbox.world import World, build_world
from ingestion.webhooks.app import create_webhook_app
from ingestion.webhooks.server import ReceiverThread
from orchestration.demo.processes import ChildProcesses, free_port, wait_http_ok
from orchestration.demo.provision import provision_world
from orchestration.runtime import Runtime
from warden.clock import utcnow
from warden.settings import Settings
from warden.tenancy import TenantScope

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGSTER_YAML = REPO_ROOT / "orchestration" / "dagster.yaml"
DEMO_MARKER = ".warden-demo"


@dataclass(frozen=True)
class DemoOptions:
    check: bool
    prs_per_tenant: int
    timeout_seconds: float
    seed: int = 7


def prepare_data_dir(data_dir: Path) -> None:
    """The demo owns its data directory: wipe a previous demo, refuse anything else."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / DEMO_MARKER).exists():
            raise SystemExit(
                f"{data_dir} holds non-demo data; set WARDEN_DATA_DIR to another "
                "directory for the demo"
            )
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text("created by `warden demo`; safe to delete\n")


def _child_env(settings: Settings) -> dict[str, str]:
    dagster_home = settings.dagster_home.resolve()
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DAGSTER_YAML, dagster_home / "dagster.yaml")
    return {
        **os.environ,
        "WARDEN_DATA_DIR": str(settings.data_dir.resolve()),
        "DAGSTER_HOME": str(dagster_home),
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
    }


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def snapshot_pr_counts(settings: Settings, world: World) -> dict[str, int]:
    """PRs per tenant visible in the published serving snapshot (0 if none yet)."""
    counts = {}
    for tenant_id in world.tenants:
        scope = TenantScope.for_tenant(settings.tenants_dir, tenant_id)
        try:
            con = scope.connect_serving()
        except FileNotFoundError:
            counts[tenant_id] = 0
            continue
        try:
            counts[tenant_id] = con.sql("select count(*) from mart_pr_risk").fetchall()[0][0]
        finally:
            con.close()
    return counts


def _progress(
    runtime: Runtime, sandbox: SandboxGitHub, settings: Settings, world: World
) -> tuple[int, int, dict[str, int]]:
    pending = sum(len(runtime.control_plane.inbox.pending(t)) for t in world.tenants)
    comments = sum(len(sandbox.store.all_comments(t)) for t in world.tenants)
    return pending, comments, snapshot_pr_counts(settings, world)


def run_demo(settings: Settings, options: DemoOptions) -> int:
    prepare_data_dir(settings.data_dir)
    runtime = Runtime(settings)
    world = build_world(utcnow(), seed=options.seed, prs_per_tenant=options.prs_per_tenant)
    expected = {t: len(world.tenants[t].pull_requests) for t in world.tenants}
    processes = ChildProcesses(settings.data_dir / "logs", {})
    with SandboxGitHub(world, as_of=world.start) as sandbox:
        provision_world(
            runtime.control_plane,
            world,
            sandbox,
            settings.data_dir / "sources",
            member_email=settings.dashboard_user,
        )
        processes.env = _child_env(settings)
        receiver_app = create_webhook_app(runtime.control_plane, settings)
        with ReceiverThread(receiver_app) as receiver:
            try:
                urls = _start_children(processes, options)
                receiver_url = receiver.url + "/webhooks/{tenant}/github"
                print(f"sandbox GitHub   {sandbox.instance_url('acme')} (and /globex/api/v3)")
                print(f"webhook receiver {receiver.url}/webhooks/<tenant>/github")
                for label, url in urls.items():
                    print(f"{label:<16} {url}")
                player = WebhookPlayer(world, receiver_url, store=sandbox.store)
                threading.Thread(target=player.play, name="webhook-player", daemon=True).start()
                print(
                    f"playing {len(world.events())} signed webhook deliveries "
                    f"({sum(expected.values())} PRs over 60 simulated days)..."
                )
                if options.check:
                    return _wait_for_check(
                        runtime,
                        sandbox,
                        settings,
                        world,
                        expected,
                        processes,
                        options.timeout_seconds,
                    )
                _serve_until_interrupted(runtime, sandbox, settings, world, processes)
                return 0
            finally:
                processes.stop()
                runtime.control_plane.dispose()


def _start_children(processes: ChildProcesses, options: DemoOptions) -> dict[str, str]:
    if options.check:
        processes.start(
            "dagster-daemon",
            [_bin("dagster-daemon"), "run", "-m", "orchestration.definitions"],
            REPO_ROOT,
        )
        return {}
    dagster_port, streamlit_port = free_port(3000), free_port(8501)
    processes.start(
        "dagster",
        [
            _bin("dagster"),
            "dev",
            "-m",
            "orchestration.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(dagster_port),
        ],
        REPO_ROOT,
    )
    processes.start(
        "streamlit",
        [
            _bin("streamlit"),
            "run",
            "dashboard/streamlit_app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(streamlit_port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        REPO_ROOT,
    )
    dagster_url = f"http://127.0.0.1:{dagster_port}"
    streamlit_url = f"http://127.0.0.1:{streamlit_port}"
    wait_http_ok(f"{dagster_url}/server_info", 120, processes)
    wait_http_ok(f"{streamlit_url}/_stcore/health", 60, processes)
    return {"Dagster UI": dagster_url, "dashboard": streamlit_url}


def _wait_for_check(
    runtime: Runtime,
    sandbox: SandboxGitHub,
    settings: Settings,
    world: World,
    expected: dict[str, int],
    processes: ChildProcesses,
    timeout_seconds: float,
) -> int:
    deadline = time.monotonic() + timeout_seconds
    last = None
    while time.monotonic() < deadline:
        processes.check_alive()
        pending, comments, counts = _progress(runtime, sandbox, settings, world)
        state = (pending, comments, tuple(sorted(counts.items())))
        if state != last:
            print(
                f"  pending deliveries {pending}, comments posted {comments}, "
                f"PRs in serving {counts} (expected {expected})",
                flush=True,
            )
            last = state
        if pending == 0 and comments > 0 and counts == expected:
            print("demo check passed")
            return 0
        time.sleep(3)
    print("demo check FAILED: timed out", file=sys.stderr)
    return 1


def _serve_until_interrupted(
    runtime: Runtime,
    sandbox: SandboxGitHub,
    settings: Settings,
    world: World,
    processes: ChildProcesses,
) -> None:
    print("Ctrl-C stops everything.")
    last = None
    try:
        while True:
            processes.check_alive()
            state = _progress(runtime, sandbox, settings, world)
            if state != last:
                pending, comments, counts = state
                print(
                    f"  pending deliveries {pending}, comments posted {comments}, "
                    f"PRs in serving {counts}",
                    flush=True,
                )
                last = state
            time.sleep(5)
    except KeyboardInterrupt:
        print("\nstopping...")
