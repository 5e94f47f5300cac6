"""The Streamlit app end to end in-process (AppTest) over the fixture serving snapshots."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from warden.records import pull_request_key

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
DETAIL_PAGE = "app_pages/pr_detail.py"
TRENDS_PAGE = "app_pages/trends.py"
API_12 = pull_request_key("github", "platform/api", 12)
WEB_12 = pull_request_key("github", "platform/web", 12)


def run_app(query_params: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params.update(query_params or {})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def listed_titles(app: AppTest) -> list[str]:
    return app.dataframe[0].value["Title"].tolist() if app.dataframe else []


def visible_text(app: AppTest) -> str:
    """Everything a person could read on the page, including tables and widget options."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "code", "title", "header", "info", "warning", "error")
        for e in getattr(app, kind)
    ]
    parts += [frame.value.to_string() for frame in app.dataframe]
    parts += [str(option) for box in app.selectbox for option in box.options]
    parts += [str(option) for box in app.multiselect for option in box.options]
    return "\n".join(str(p) for p in parts)


def open_detail(app: AppTest, pr_key: str) -> AppTest:
    app.switch_page(DETAIL_PAGE)
    app.query_params["pr"] = pr_key
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_prioritised_list_shows_riskiest_pr_first(dashboard_env) -> None:
    world = dashboard_env("analyst@acme.test")
    app = run_app()
    assert listed_titles(app) == list(world.member_titles)
    assert app.dataframe[0].value["Rank"].tolist() == [1, 2, 3, 4]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["PRs at risk"] == "3"
    assert metrics["Open security findings"] == "2"


@pytest.mark.parametrize(
    ("key", "value", "expected_refs"),
    [
        ("filter_repositories", ["platform/web"], ["platform/web#12", "platform/web#3"]),
        ("filter_categories", ["security"], ["platform/api#12", "platform/api#7"]),
        ("filter_min_severity", "critical", ["platform/api#12"]),
        ("filter_min_severity", "medium", ["platform/api#12", "platform/api#7"]),
        ("filter_categories", ["requirement_drift"], ["platform/web#12"]),
        ("filter_states", ["merged", "closed"], ["platform/api#7", "platform/web#3"]),
    ],
)
def test_filters_narrow_the_list(dashboard_env, key, value, expected_refs) -> None:
    dashboard_env("analyst@acme.test")
    app = run_app()
    widget = app.selectbox(key=key) if key == "filter_min_severity" else app.multiselect(key=key)
    widget.set_value(value).run()
    assert not app.exception
    assert app.dataframe[0].value["PR"].tolist() == expected_refs


def test_resolved_findings_do_not_match_category_filters(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = run_app()
    app.multiselect(key="filter_categories").set_value(["standards"]).run()
    # web#3 has only a resolved standards finding, web#12 only a resolved one too
    assert app.dataframe[0].value["PR"].tolist() == ["platform/api#12"]
    assert {m.label: m.value for m in app.metric}["PRs listed"] == "1"


def test_rows_link_to_the_detail_page_of_their_pr(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    table = run_app().dataframe[0].value
    for ref, href in zip(table["PR"], table["Details"], strict=True):
        repository, number = ref.split("#")
        parsed = urlsplit(href)
        assert parsed.path == "pr-detail"
        assert parse_qs(parsed.query) == {
            "tenant": ["acme"],
            "pr": [pull_request_key("github", repository, int(number))],
        }


def test_other_tenants_data_never_appears(dashboard_env, serving_world) -> None:
    world = dashboard_env(serving_world.analyst)
    app = run_app({"tenant": world.other_tenant})
    assert app.selectbox(key="tenant").value == world.member_tenant
    assert app.selectbox(key="tenant").options == [world.member_tenant]
    pages = [visible_text(app)]
    for repository, number in world.member_pr_refs:  # these keys exist in both tenants
        pr_key = pull_request_key("github", repository, number)
        pages.append(visible_text(open_detail(app, pr_key)))
    app.switch_page(TRENDS_PAGE).run()
    pages.append(visible_text(app))
    text = "\n".join(pages)
    assert "Acme: raw SQL in account search" in text
    for title in world.other_titles:
        assert title not in text
    assert "GLOBEX" not in text.upper()


def test_user_without_membership_sees_no_data(dashboard_env, serving_world) -> None:
    world = dashboard_env(serving_world.outsider)
    app = run_app({"tenant": world.member_tenant})
    assert "not a member of any workspace" in app.warning[0].value
    assert not app.dataframe
    assert not app.selectbox
    text = visible_text(app)
    for title in world.member_titles + world.other_titles:
        assert title not in text


def test_member_tenant_without_snapshot_shows_no_data_yet(dashboard_env, serving_world) -> None:
    world = dashboard_env(serving_world.newcomer)
    app = run_app()
    assert app.selectbox(key="tenant").value == world.empty_tenant
    assert "No data yet" in app.info[0].value
    assert not app.dataframe


def test_detail_page_shows_evidence_for_the_chosen_pr(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = run_app()
    app.switch_page(DETAIL_PAGE).run()
    assert not app.code
    app.selectbox(key="detail_pr").set_value(API_12).run()
    assert not app.exception
    assert app.header[0].value.replace("\\", "") == "Acme: raw SQL in account search"
    assert app.query_params["pr"] == API_12
    open_tab = app.tabs[0]
    assert open_tab.label == "Open findings (2)"
    evidence = [c.value for c in open_tab.code]
    assert 'cursor.execute("SELECT * FROM accounts WHERE name = \'" + name + "\'")' in evidence
    assert any("CWE\\-89" in m.value for m in open_tab.markdown)
    assert any("api/search.py:42-43" in m.value for m in open_tab.markdown)
    link_urls = [button.proto.url for button in app.get("link_button")]
    assert "https://github.example/platform/api/pull/12#issuecomment-1" in link_urls
    assert app.tabs[2].label == "Review runs (1)"


def test_detail_page_groups_open_and_resolved_findings(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = open_detail(run_app(), WEB_12)
    open_tab, resolved_tab = app.tabs[0], app.tabs[1]
    assert [c.value for c in open_tab.code] == ["return Response(status=401)"]
    assert [c.value for c in resolved_tab.code] == ["color: red !important;"]
    assert "No review comment posted yet." in [c.value for c in app.caption]


def test_detail_page_rejects_unknown_pr(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = open_detail(run_app(), pull_request_key("github", "globex/secret", 1))
    assert "not in this workspace" in app.warning[0].value
    assert not app.code


def test_trends_render_charts_and_follow_the_repository_filter(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = run_app()
    app.switch_page(TRENDS_PAGE).run()
    assert not app.exception
    assert len(app.get("vega_lite_chart")) == 2
    assert {m.label: m.value for m in app.metric}["New findings"] == "6"
    app.multiselect(key="trend_repositories").set_value(["platform/web"]).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["New findings"], metrics["Still open"]) == ("3", "1")


def test_a_newly_published_snapshot_shows_up(dashboard_env, fresh_world) -> None:
    world = dashboard_env(fresh_world.analyst, fresh_world)
    assert listed_titles(run_app())[0] == world.member_titles[0]
    world.republish_member_snapshot(["Acme: fresh snapshot"])
    assert listed_titles(run_app()) == ["Acme: fresh snapshot"]


def _plain(app: AppTest) -> str:
    """The page's readable text with Markdown escapes removed."""
    return visible_text(app).replace("\\", "")


def test_detail_page_lists_acceptance_criteria_verdicts(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = open_detail(run_app(), API_12)
    assert [s.value for s in app.subheader] == ["Acceptance criteria"]
    badges = [m.value for m in app.markdown if " · **ENG" in m.value]
    assert [b.split(" · ")[0] for b in badges] == [
        ":red-badge[not met]",
        ":green-badge[met]",
        ":orange-badge[needs a human]",
    ]
    text = _plain(app)
    assert "After 5 failed login attempts the account is locked for 15 minutes" in text
    assert "the criterion says 5 attempts; api/auth.py:12 says 3" in text
    assert "- api/auth.py:12: MAX_ATTEMPTS = 3" in text
    assert "- tests/test_lockout.py:8\n- api/auth.py:30" in text
    assert "Judged by the LLM reviewer." in [c.value for c in app.caption]
    assert "GLOBEX" not in text.upper()  # the other tenant's verdict on the same PR key


def test_detail_page_without_verdicts_shows_no_criteria_section(dashboard_env) -> None:
    dashboard_env("analyst@acme.test")
    app = open_detail(run_app(), WEB_12)
    assert app.header[0].value.replace("\\", "") == "Acme: tidy button styles"
    assert not app.subheader


def test_detail_page_of_a_snapshot_without_the_verdicts_mart(dashboard_env, fresh_world) -> None:
    world = dashboard_env(fresh_world.analyst, fresh_world)
    world.republish_member_snapshot(["Acme: older snapshot"])
    app = open_detail(run_app(), pull_request_key("github", "platform/api", 100))
    assert app.header[0].value.replace("\\", "") == "Acme: older snapshot"
    assert not app.subheader
    assert app.tabs[0].label == "Open findings (0)"
