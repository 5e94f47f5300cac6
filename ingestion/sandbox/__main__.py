"""`python -m ingestion.sandbox [--now ISO] [--seed N] [--empty]`: serve the fake GitHub."""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import datetime

from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import build_world
from warden.clock import utcnow


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the sandbox GitHub with the fixture world.")
    parser.add_argument("--now", help="ISO timestamp the world is built around (default: now)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--empty", action="store_true", help="start with no PRs (for replays)")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now) if args.now else utcnow().replace(microsecond=0)
    world = build_world(now, seed=args.seed)
    sandbox = SandboxGitHub(world, as_of=world.start if args.empty else None)
    base_url = sandbox.start()
    print(f"sandbox GitHub at {base_url}", flush=True)
    for tenant in world.tenants.values():
        print(f"  {tenant.tenant_id}: {sandbox.instance_url(tenant.tenant_id)}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    sandbox.stop()


if __name__ == "__main__":
    main()
