"""What a person sees: the real app served by `streamlit run`, driven by Debian's Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO_ROOT / "test-output" / "dashboard-prioritised.png"
STARTUP_DEADLINE_SECONDS = 60
GRID_HEADER_PX = 35  # st.dataframe's default header and row heights
GRID_ROW_PX = 35

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {server.returncode}")
        try:
            if httpx.get(f"{base_url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy within {STARTUP_DEADLINE_SECONDS}s")


@pytest.fixture
def dashboard_server(serving_world, tmp_path: Path) -> Iterator[str]:
    """`streamlit run` on a free 127.0.0.1 port over the fixture world; always stopped."""
    port = free_port()
    env = {
        **os.environ,
        "WARDEN_DATA_DIR": str(serving_world.data_dir),
        "WARDEN_DASHBOARD_USER": serving_world.analyst,
        "WARDEN_CONTROL_PLANE_URL": serving_world.settings.resolved_control_plane_url,
        "HOME": str(tmp_path),  # keep ~/.streamlit untouched
    }
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard/streamlit_app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log_path = tmp_path / "streamlit.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=log)
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_healthy(base_url, server)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_prioritised_list_renders_in_chromium(dashboard_server: str, serving_world) -> None:
    from playwright.sync_api import expect, sync_playwright

    riskiest = serving_world.member_titles[0]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(dashboard_server)
            expect(page.get_by_role("heading", name="Prioritised pull requests")).to_be_visible(
                timeout=30_000
            )
            table = page.get_by_test_id("stDataFrame")
            expect(table).to_be_visible(timeout=30_000)
            # glide-data-grid draws on a canvas; its accessible table carries the cell text
            first_row_title = table.locator("table tbody tr").first.locator("td").nth(1)
            expect(first_row_title).to_have_text(riskiest, timeout=30_000)
            page.wait_for_timeout(500)  # let the canvas finish painting for the screenshot
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            body = page.locator("body").inner_text()
            assert "PRs at risk" in body
            assert "Open security findings" in body
            assert serving_world.member_tenant in body
            rows = table.locator("table tbody tr")
            titles = [rows.nth(i).locator("td").nth(1).text_content() for i in range(rows.count())]
            assert titles == list(serving_world.member_titles)
            grid_text = table.text_content() or ""
            for title in serving_world.other_titles:
                assert title not in body
                assert title not in grid_text

            # selecting the first row (its checkbox cell on the canvas) opens its detail page
            box = table.bounding_box()
            page.mouse.click(box["x"] + 15, box["y"] + GRID_HEADER_PX + GRID_ROW_PX / 2)
            expect(page).to_have_url(re.compile(r"/pr-detail\?pr=github%3APullRequest"))
            expect(page.get_by_role("heading", name=riskiest)).to_be_visible(timeout=30_000)
            expect(page.get_by_text("FROM accounts WHERE name").first).to_be_visible()
        finally:
            browser.close()
