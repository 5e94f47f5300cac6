"""Pure presentation helpers: escaping untrusted text, labels, links and metrics."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest

from dashboard.presentation import (
    code_language,
    daily_totals,
    detail_href,
    escape_markdown,
    headline_metrics,
    is_web_url,
    location,
)


@pytest.mark.parametrize(
    "untrusted",
    [
        "[click me](https://evil.example)",
        "![pixel](https://evil.example/p.png)",
        "**bold** _it_ `code` # heading",
        ":red[alarm] :material/warning: $x^2$",
        "<script>alert(1)</script>",
    ],
)
def test_escape_markdown_leaves_no_unescaped_directive(untrusted: str) -> None:
    escaped = escape_markdown(untrusted)
    unescaped_specials = [
        ch for i, ch in enumerate(escaped) if ch in "[]()*_`#:$<>!" and escaped[i - 1] != "\\"
    ]
    assert unescaped_specials == []
    assert escaped.replace("\\", "") == untrusted.replace("\\", "")


def test_escape_markdown_of_none_is_empty() -> None:
    assert escape_markdown(None) == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("a.py", 3, 3), "a.py:3"),
        (("a.py", 3, 7), "a.py:3-7"),
        (("a.py", 3, None), "a.py:3"),
        (("a.py", None, None), "a.py"),
        ((None, 1, 2), "—"),
    ],
)
def test_location(args, expected: str) -> None:
    assert location(*args) == expected


def test_detail_href_round_trips_keys_with_reserved_characters() -> None:
    key = "github:PullRequest:platform/api#12"
    parsed = urlsplit(detail_href("acme", key))
    assert parsed.path == "pr-detail"
    assert parse_qs(parsed.query) == {"tenant": ["acme"], "pr": [key]}


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://github.com/a/b/pull/1", True),
        ("HTTP://host/x", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("", False),
        (None, False),
    ],
)
def test_is_web_url(url, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_code_language_by_suffix() -> None:
    assert code_language("src/App.PY") == "python"
    assert code_language("Makefile") is None
    assert code_language("notes.unknownext") is None


def test_headline_metrics_count_only_prs_with_open_findings() -> None:
    prs = pl.DataFrame(
        {"open_findings": [2, 0, 1], "open_security_findings": [1, 0, None]},
        schema={"open_findings": pl.Int64, "open_security_findings": pl.Int64},
    )
    assert headline_metrics(prs) == {"prs_at_risk": 2, "open_security_findings": 1, "prs_listed": 3}
    assert headline_metrics(prs.clear())["prs_listed"] == 0


def test_daily_totals_sum_per_day_and_dimension() -> None:
    daily = pl.DataFrame(
        {
            "day": ["2026-09-02", "2026-09-01", "2026-09-01", "2026-09-01"],
            "category": ["security", "security", "security", "standards"],
            "new_findings": [1, 2, 3, 4],
            "open_findings": [1, 0, 3, 4],
        }
    )
    assert daily_totals(daily, "category").rows() == [
        ("2026-09-01", "security", 5, 3),
        ("2026-09-01", "standards", 4, 4),
        ("2026-09-02", "security", 1, 1),
    ]
