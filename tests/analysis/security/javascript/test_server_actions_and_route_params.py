"""Request data that frameworks hand to functions: Next.js server action arguments (module
and inline `"use server"`), Remix / SvelteKit / Next route-module `params` and form data,
Hono's `c.req.query()` — fetched server-side they are SSRF; fixed and allow-listed hosts,
client code and ordinary exported functions stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

POSITIVES = [
    (
        "app/feeds/actions.ts",
        [
            "'use server';",
            "import { db } from '@/lib/db';",
            "export const addFeed = async (form: FormData) => {",
            "  const feedUrl = (form.get('feed') as string).trim();",
            "  const xml = await (await fetch(feedUrl)).text();",
            "  await db.feed.create({ data: { url: feedUrl, size: xml.length } });",
            "};",
        ],
        5,
    ),
    (
        "app/hooks/page.tsx",
        [
            "export default function HooksPage() {",
            "  async function testHook(endpoint: string) {",
            '    "use server";',
            "    await axios.post(endpoint, { ping: true });",
            "  }",
            "  return <HookForm onTest={testHook} />;",
            "}",
        ],
        4,
    ),
    (
        "app/routes/avatars.$host.tsx",
        [
            "export async function loader({ params }: LoaderFunctionArgs) {",
            "  const image = await fetch(`https://${params.host}/avatar.png`);",
            "  return new Response(image.body);",
            "}",
        ],
        2,
    ),
    (
        "app/routes/import.tsx",
        [
            "export async function action({ request }: ActionFunctionArgs) {",
            "  const form = await request.formData();",
            "  const source = String(form.get('source'));",
            "  const res = await fetch(source);",
            "  return json({ ok: res.ok });",
            "}",
        ],
        4,
    ),
    (
        "src/routes/import/+page.server.ts",
        [
            "export const actions = {",
            "  async preview({ request }) {",
            "    const data = await request.formData();",
            "    const page = await got(data.get('page') as string);",
            "    return { length: page.body.length };",
            "  },",
            "};",
        ],
        4,
    ),
    (
        "src/routes/status/[host]/+server.ts",
        [
            "export const GET = async ({ params }) => {",
            "  const res = await fetch('http://' + params.host + ':8080/health');",
            "  return new Response(res.body);",
            "};",
        ],
        2,
    ),
    (
        "src/routes/proxy.ts",
        [
            "app.get('/proxy', async (c) => {",
            "  const target = c.req.query('target');",
            "  const upstream = await fetch(target!);",
            "  return c.body(upstream.body);",
            "});",
        ],
        3,
    ),
    (
        "app/feeds/actions.ts",  # a type narrowing is not an allow-list
        [
            "'use server';",
            "export async function ping(form: FormData) {",
            "  const url = form.get('url');",
            "  if (typeof url !== 'string') throw new Error('url required');",
            "  await fetch(url);",
            "}",
        ],
        5,
    ),
]


@pytest.mark.parametrize(("path", "code", "line"), POSITIVES)
def test_framework_request_data_fetched_server_side_is_ssrf(build, path, code, line):
    assert ("ssrf", line) in rule_lines(review(build, path, code))


NEAR_MISSES = [
    (
        "app/feeds/actions.ts",
        [
            "'use server';",
            "const FEED_HOSTS = new Set(['feeds.example.org', 'news.example.org']);",
            "export async function addFeed(form: FormData) {",
            "  const feedUrl = String(form.get('feed'));",
            "  if (!FEED_HOSTS.has(new URL(feedUrl).hostname)) throw new Error('host');",
            "  return (await fetch(feedUrl)).text();",
            "}",
        ],
    ),
    (
        "app/books/actions.ts",
        [
            "'use server';",
            "export async function lookup(form: FormData) {",
            "  const isbn = String(form.get('isbn'));",
            "  return fetch(`https://books.example.org/isbn/${encodeURIComponent(isbn)}`);",
            "}",
        ],
    ),
    (
        "app/feeds/feed-form.tsx",  # client code: the browser fetches, not the server
        [
            "'use client';",
            "export async function preview(form: FormData) {",
            "  return fetch(String(form.get('feed')));",
            "}",
        ],
    ),
    (
        "lib/http.ts",  # an ordinary module's exports are not server actions
        [
            "export async function getText(url: string) {",
            "  return (await fetch(url)).text();",
            "}",
        ],
    ),
    (
        "app/routes/avatars.tsx",  # not exported: not a route-module loader
        [
            "async function loader({ params }) {",
            "  return fetch(`https://${params.host}/avatar.png`);",
            "}",
        ],
    ),
    (
        "lib/config/load.ts",  # a library's `load(params)`: not a framework's argument object
        [
            "export async function load(params: { url: string }) {",
            "  return (await fetch(params.url)).json();",
            "}",
        ],
    ),
    (
        "app/feeds/actions.ts",  # a helper in a server-action module called with a constant
        [
            "'use server';",
            "async function grab(url: string) {",
            "  return fetch(url);",
            "}",
            "export async function refresh() {",
            "  return grab('https://feeds.example.org/all.xml');",
            "}",
        ],
    ),
]


@pytest.mark.parametrize(("path", "code"), NEAR_MISSES)
def test_fixed_allow_listed_or_client_side_fetches_stay_quiet(build, path, code):
    assert rule_lines(review(build, path, code)) == []


def test_server_action_arguments_reach_other_sinks(build):
    code = [
        "'use server';",
        "import { readFile } from 'node:fs/promises';",
        "export async function exportReport(name: string) {",
        "  return readFile(`/srv/reports/${name}`, 'utf8');",
        "}",
    ]
    assert rule_lines(review(build, "app/reports/actions.ts", code)) == [("path-traversal", 4)]
