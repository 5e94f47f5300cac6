"""Python: aiohttp request data (`request.query`, `request.match_info`, `await
request.post()`) as sources, and calls handed to a worker thread checked as direct calls."""

from tests.analysis.security.python.scanning import marked_line, rules, scan


def test_match_info_reaches_a_file_read(build):
    source = """
        from aiohttp import web

        async def avatar(request: web.Request) -> web.Response:
            user = request.match_info["user"]
            return web.FileResponse(open("/srv/avatars/" + user, "rb"))  # <-
    """
    hits = scan(build, source)
    assert ("path-traversal", marked_line(source)) in {(h.rule_id, h.line) for h in hits}


def test_query_value_reaches_shell_through_run_in_executor(build):
    source = """
        import asyncio
        import subprocess

        from aiohttp import web

        async def ping(request: web.Request) -> web.Response:
            host = request.query["host"]
            loop = asyncio.get_running_loop()
            cmd = "ping -c1 " + host
            await loop.run_in_executor(None, subprocess.check_output, cmd, shell=True)  # <-
            return web.Response(text="ok")
    """
    hits = scan(build, source)
    assert ("shell-injection", marked_line(source)) in {(h.rule_id, h.line) for h in hits}


def test_posted_form_url_fetched(build):
    source = """
        import aiohttp
        from aiohttp import web

        async def hook(request: web.Request) -> web.Response:
            form = await request.post()
            async with aiohttp.ClientSession() as session:
                await session.post(form["callback"], json={})  # <-
            return web.Response(status=204)
    """
    hits = scan(build, source)
    assert ("ssrf", marked_line(source)) in {(h.rule_id, h.line) for h in hits}


def test_argument_list_in_a_worker_thread_is_quiet(build):
    source = """
        import asyncio
        import subprocess

        from aiohttp import web

        async def resize(request: web.Request) -> web.Response:
            name = request.match_info["name"]
            await asyncio.to_thread(subprocess.run, ["convert", "--", name, "out.png"], check=True)
            return web.Response(text="ok")
    """
    assert "shell-injection" not in rules(scan(build, source))


def test_constant_command_in_a_worker_thread_is_quiet(build):
    source = """
        import asyncio
        import subprocess

        async def rotate() -> None:
            await asyncio.to_thread(subprocess.run, "logrotate /etc/app.conf", shell=True)
    """
    assert "shell-injection" not in rules(scan(build, source))
