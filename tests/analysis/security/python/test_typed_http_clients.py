"""Python SSRF through HTTP clients known by their type: annotated variables and
parameters, clients kept on the instance, and the methods that take the HTTP method
before the URL (`request`, urllib3 `urlopen`, httpx `stream`)."""

import pytest

from tests.analysis.security.python.scanning import marked_line, rules, scan

POSITIVES = [
    (
        "aiohttp-annotated-app-client",
        """
        from aiohttp import ClientSession, web

        async def probe(request: web.Request) -> web.Response:
            body = await request.json()
            session: ClientSession = request.app["client"]
            async with session.get(body["target"]) as resp:  # <-
                return web.Response(text=await resp.text())
        """,
    ),
    (
        "aiohttp-match-info-request-method",
        """
        import aiohttp
        from aiohttp import web

        async def relay(request: web.Request) -> web.Response:
            host = request.match_info["host"]
            async with aiohttp.ClientSession() as session:
                await session.request("GET", f"http://{host}/status")  # <-
            return web.Response(status=204)
        """,
    ),
    (
        "aiohttp-posted-form-optional-annotation",
        """
        from typing import Optional

        import aiohttp
        from aiohttp import web

        async def ping(request: web.Request) -> web.Response:
            form = await request.post()
            client: Optional[aiohttp.ClientSession] = request.config_dict.get("http")
            await client.post(form["url"], json={})  # <-
            return web.Response(status=204)
        """,
    ),
    (
        "annotated-parameter-of-a-helper",
        """
        import httpx
        from flask import Flask, request

        app = Flask(__name__)

        def forward(client: httpx.Client, url: str) -> int:
            return client.get(url).status_code  # <-

        @app.post("/forward")
        def forward_route():
            return {"status": forward(httpx.Client(), request.json["url"])}
        """,
    ),
    (
        "client-kept-on-the-instance",
        """
        import urllib3
        from flask import Flask, request

        app = Flask(__name__)

        class Fetcher:
            def __init__(self) -> None:
                self.pool = urllib3.PoolManager()

            def fetch(self, url: str) -> bytes:
                return self.pool.urlopen("GET", url).data  # <-

        fetcher = Fetcher()

        @app.get("/preview")
        def preview():
            return fetcher.fetch(request.args["url"])
        """,
    ),
    (
        "httpx-stream-method-then-url",
        """
        import httpx
        from quart import Quart, request

        app = Quart(__name__)

        @app.post("/download")
        async def download():
            data = await request.get_json()
            async with httpx.AsyncClient() as client:
                async with client.stream("GET", data["url"]) as resp:  # <-
                    return await resp.aread()
        """,
    ),
    (
        "urllib3-pool-request-from-query",
        """
        import urllib3
        from aiohttp import web

        http = urllib3.PoolManager()

        async def mirror(request: web.Request) -> web.Response:
            resp = http.request("GET", request.query["src"])  # <-
            return web.Response(body=resp.data)
        """,
    ),
    (
        "quart-awaited-form",
        """
        import requests
        from quart import Quart, request

        app = Quart(__name__)

        @app.post("/hook")
        async def hook():
            form = await request.form
            return requests.get(form["callback"]).text  # <-
        """,
    ),
]

NEAR_MISSES = [
    (
        "annotated-client-fixed-host",
        """
        from aiohttp import ClientSession, web

        async def lookup(request: web.Request) -> web.Response:
            body = await request.json()
            session: ClientSession = request.app["client"]
            async with session.get(f"https://api.partner.example/v1/items/{body['id']}") as r:
                return web.Response(text=await r.text())
        """,
    ),
    (
        "untyped-app-object-get",
        """
        from aiohttp import web

        async def lookup(request: web.Request) -> web.Response:
            cache = request.app["cache"]
            value = cache.get(request.query["key"])
            return web.json_response({"value": value})
        """,
    ),
    (
        "instance-attribute-that-is-not-a-client",
        """
        from flask import Flask, request

        app = Flask(__name__)

        class Settings:
            def __init__(self) -> None:
                self.values = {}

            def read(self, key: str) -> str:
                return self.values.get(key)

        settings = Settings()

        @app.get("/setting")
        def setting():
            return settings.read(request.args["key"])
        """,
    ),
    (
        "annotated-client-constant-url",
        """
        import httpx
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/health")
        async def health(client: httpx.AsyncClient, verbose: bool = False):
            return (await client.get("https://status.example.com/api")).json()
        """,
    ),
]


@pytest.mark.parametrize(("case", "source"), POSITIVES, ids=[c[0] for c in POSITIVES])
def test_url_from_the_request_reaches_a_typed_client(build, case, source):
    hits = scan(build, source)
    assert ("ssrf", marked_line(source)) in {(h.rule_id, h.line) for h in hits}, hits


@pytest.mark.parametrize(("case", "source"), NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_fixed_hosts_and_untyped_objects_are_quiet(build, case, source):
    assert "ssrf" not in rules(scan(build, source))
