"""Fixtures for the LLM reviewer's pure parts: a risky change, its ticket and a standard."""

from __future__ import annotations

import pytest

from analysis.context import ReviewContext
from tests.analysis.conftest import Build

LOGIN_BEFORE = ["def login(user, password):", "    return check(user, password)", ""]
LOGIN_AFTER = [
    "def login(user, password):",
    "    attempts = 10  # lock after this many failures",
    "    cursor.execute(f\"SELECT * FROM users WHERE name = '{user}'\")",
    "    return check(user, password)",
    "",
]


@pytest.fixture
def login_context(build: Build) -> ReviewContext:
    changed = build.file("services/auth/login.py", LOGIN_AFTER, LOGIN_BEFORE)
    readme = build.file("README.md", ["# API", "Run it with make."], ["# API"])
    ticket = build.ticket(
        "ENG-1", ["After 5 failed login attempts the account is locked for 15 minutes"]
    )
    standard = build.document(
        "Coding standard",
        [("Auth", "auth", "Code in services/auth must log failures through audit_log().")],
    )
    return build.context([readme, changed], tickets=[ticket], documents=[standard])
