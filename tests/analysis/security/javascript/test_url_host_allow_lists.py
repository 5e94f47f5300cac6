"""Host allow-lists on a parsed URL: after `new URL(raw)` and a check of its `hostname`,
`host` or `origin` that leaves the handler (return, throw, or a framework helper that
always throws: SvelteKit's `error()`, Next.js's `notFound()`), the URL object and what is
derived from it (`href`, `toString()`) are safe to fetch. A check that only logs, a local
function that happens to be called `error`, or a check of another URL leaves SSRF."""

import pytest

from tests.analysis.security.review import review, rule_lines

SVELTEKIT = [
    "import { error } from '@sveltejs/kit';",
    "const THUMB_HOSTS = new Set(['thumbs.example.net', 'media.example.net']);",
    "export async function GET({ url }) {",
    "  const target = new URL(url.searchParams.get('src') ?? '');",
]
EXPRESS = [
    "const express = require('express');",
    "const app = express();",
    "const PARTNER_HOSTS = ['api.partner.example'];",
    "app.get('/relay', async (req, res) => {",
    "  const target = new URL(req.query.to);",
]

NEAR_MISSES = [
    (SVELTEKIT, ["  if (!THUMB_HOSTS.has(target.hostname)) error(400, 'host');",
                 "  return fetch(target.href);", "}"]),
    (SVELTEKIT, ["  if (target.protocol !== 'https:' || !THUMB_HOSTS.has(target.hostname)) {",
                 "    error(400, 'host');", "  }", "  return fetch(target);", "}"]),
    (SVELTEKIT, ["  if (target.origin !== 'https://thumbs.example.net') error(403, 'origin');",
                 "  return fetch(target.toString());", "}"]),
    (EXPRESS, ["  if (!PARTNER_HOSTS.includes(target.host)) return res.status(400).end();",
               "  const upstream = await fetch(target.href);", "  res.json(await upstream.json());",
               "});"]),
    (EXPRESS, ["  if (!PARTNER_HOSTS.includes(target.hostname)) throw new Error('host');",
               "  const upstream = await axios.get(target.toString());",
               "  res.json(upstream.data);", "});"]),
]  # fmt: skip


@pytest.mark.parametrize(("head", "body"), NEAR_MISSES)
def test_checked_url_and_its_parts_stay_quiet(build, head, body):
    assert rule_lines(review(build, "src/routes/relay/+server.ts", [*head, *body])) == []


def test_checked_url_returned_by_a_helper_stays_quiet(build):
    code = [
        "import { error } from '@sveltejs/kit';",
        "const THUMB_HOSTS = new Set(['thumbs.example.net']);",
        "function thumbUrl(raw: string | null): URL {",
        "  if (!raw) error(400, 'src missing');",
        "  let parsed: URL;",
        "  try {",
        "    parsed = new URL(raw);",
        "  } catch {",
        "    error(400, 'src malformed');",
        "  }",
        "  if (!THUMB_HOSTS.has(parsed.hostname)) {",
        "    error(400, 'host');",
        "  }",
        "  return parsed;",
        "}",
        "export async function GET({ url }) {",
        "  const response = await fetch(thumbUrl(url.searchParams.get('src')));",
        "  return new Response(response.body);",
        "}",
    ]
    assert rule_lines(review(build, "src/routes/thumb/+server.ts", code)) == []


def test_next_not_found_ends_the_handler(build):
    code = [
        "import { notFound } from 'next/navigation';",
        "const FEEDS = ['feeds.example.org'];",
        "export async function GET(request: Request) {",
        "  const feed = new URL(new URL(request.url).searchParams.get('feed') ?? '');",
        "  if (!FEEDS.includes(feed.hostname)) notFound();",
        "  return fetch(feed);",
        "}",
    ]
    assert rule_lines(review(build, "app/api/feed/route.ts", code)) == []


POSITIVES = [
    # no check at all
    (SVELTEKIT, ["  return fetch(target.href);", "}"], 5),
    # the check only logs (console.error is not SvelteKit's error)
    (SVELTEKIT, ["  if (!THUMB_HOSTS.has(target.hostname)) console.error('odd host');",
                 "  return fetch(target);", "}"], 6),
    # the check is of another URL
    (SVELTEKIT, ["  const next = new URL(url.searchParams.get('next') ?? '');",
                 "  if (!THUMB_HOSTS.has(target.hostname)) error(400, 'host');",
                 "  return fetch(next);", "}"], 7),
    (EXPRESS, ["  const upstream = await fetch(target.href);", "  res.json(await upstream.json());",
               "});"], 6),
]  # fmt: skip


@pytest.mark.parametrize(("head", "body", "line"), POSITIVES)
def test_unchecked_url_is_ssrf(build, head, body, line):
    found = rule_lines(review(build, "src/routes/relay/+server.ts", [*head, *body]))
    assert found == [("ssrf", line)], found


def test_a_local_function_named_error_does_not_end_the_handler(build):
    code = [
        "const THUMB_HOSTS = new Set(['thumbs.example.net']);",
        "function error(status: number, message: string) { console.log(status, message); }",
        "export async function GET({ url }) {",
        "  const target = new URL(url.searchParams.get('src') ?? '');",
        "  if (!THUMB_HOSTS.has(target.hostname)) error(400, 'host');",
        "  return fetch(target);",
        "}",
    ]
    assert rule_lines(review(build, "src/routes/thumb/+server.ts", code)) == [("ssrf", 6)]


def _proxy(choice: str) -> list[str]:
    """A Next.js route whose helper returns the parsed URL or null, chosen by `choice`."""
    return [
        "const CDN_HOSTS = new Set(['img.cdn.example', 'static.cdn.example']);",
        "function pick(raw: string | null): URL | null {",
        "  if (!raw) return null;",
        "  const u = new URL(raw);",
        "  const other = new URL('https://img.cdn.example/');",
        f"  return {choice};",
        "}",
        "export async function GET(req: NextRequest) {",
        "  const src = pick(req.nextUrl.searchParams.get('src'));",
        "  if (!src) return new Response('no', { status: 400 });",
        "  return fetch(src);",
        "}",
    ]


def test_url_chosen_by_a_host_allow_list_stays_quiet(build):
    for choice in (
        "u.protocol === 'https:' && CDN_HOSTS.has(u.hostname) ? u : null",
        "u.host === 'img.cdn.example' ? u : undefined",
        "!CDN_HOSTS.has(u.hostname) ? null : u",
    ):
        assert rule_lines(review(build, "app/api/proxy/route.ts", _proxy(choice))) == [], choice


def test_url_chosen_by_another_test_is_ssrf(build):
    for choice in (
        "u.protocol === 'https:' ? u : null",  # scheme only: any host
        "CDN_HOSTS.has(other.hostname) ? u : null",  # another URL's host
        "!CDN_HOSTS.has(u.hostname) ? u : null",  # the branch taken when the host is NOT allowed
        "CDN_HOSTS.has(u.pathname) ? u : null",  # not a part that chooses the server
    ):
        found = rule_lines(review(build, "app/api/proxy/route.ts", _proxy(choice)))
        assert found == [("ssrf", 11)], choice
