"""Run the fake GitHub with uvicorn on 127.0.0.1 and a free port, in a background thread.

with SandboxGitHub(world) as github:          # one instance per world tenant
    base = github.instance_url("acme")        # http://127.0.0.1:PORT/acme/api/v3
    github.inject_faults("acme", 502, count=2)
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from ingestion.sandbox.github_app import create_github_app
from ingestion.sandbox.github_store import CommentWrite, GitHubStore
from ingestion.sandbox.world import World

STARTUP_TIMEOUT_SECONDS = 15.0


class ServerThread:
    """Serve any ASGI app on 127.0.0.1 and a free port in a daemon thread."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", name: str = "sandbox-server") -> None:
        self._app = app
        self._host = host
        self._name = name
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.url: str | None = None

    def start(self) -> str:
        if self._server is not None:
            raise RuntimeError("server already started")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, 0))  # bind first and hand the socket over: no port race
        self._socket = sock
        config = uvicorn.Config(
            self._app, log_config=None, access_log=False, lifespan="off", log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=self._name, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self._name} did not start")
            time.sleep(0.01)
        self.url = f"http://{self._host}:{sock.getsockname()[1]}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None
        self.url = None

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SandboxGitHub:
    def __init__(
        self,
        world: World | None = None,
        *,
        as_of: datetime | None = None,
        store: GitHubStore | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.store = store or GitHubStore()
        if world is not None:
            self.store.load_world(world, as_of=as_of)
        self.world = world
        self._runner = ServerThread(create_github_app(self.store), host, "sandbox-github")

    @property
    def base_url(self) -> str | None:
        return self._runner.url

    def start(self) -> str:
        """Start serving; returns the base URL (`http://127.0.0.1:PORT`)."""
        return self._runner.start()

    def stop(self) -> None:
        self._runner.stop()

    def instance_url(self, name: str) -> str:
        """The GitHub Enterprise style API root of one instance."""
        if self.base_url is None:
            raise RuntimeError("sandbox is not running")
        if name not in self.store.instance_names():
            raise KeyError(f"no sandbox GitHub instance {name!r}")
        return f"{self.base_url}/{name}/api/v3"

    def add_instance(self, name: str, token: str) -> None:
        self.store.add_instance(name, token)

    def inject_faults(
        self,
        instance: str,
        status: int,
        count: int = 1,
        *,
        retry_after: float | None = None,
        headers: dict[str, str] | None = None,
        message: str | None = None,
    ) -> None:
        self.store.inject_faults(
            instance, status, count, retry_after=retry_after, headers=headers, message=message
        )

    def comment_writes(self, instance: str) -> list[CommentWrite]:
        return self.store.comment_writes(instance)

    def __enter__(self) -> SandboxGitHub:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
