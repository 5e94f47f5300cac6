"""Hapi, Angular, Next.js app-router bodies, and Vue / Svelte single-file components: each
positive has a sanitised, validated or allow-listed near miss that must stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

HAPI_OPEN = [
    "const Hapi = require('@hapi/hapi');",
    "const server = Hapi.server({ port: 3000 });",
    "server.route({ method: 'GET', path: '/go', handler: (request, h) => {",
]
HAPI_POSITIVES = [
    (["return h.redirect(request.query.next);"], "open-redirect"),
    (["const { name } = request.payload;", "return h.response(`<p>${name}</p>`);"], None),
    (["h.state('session', token, { isSecure: false });", "return 'ok';"], "insecure-cookie"),
    (["server.state('sid', { ttl: 1000, isHttpOnly: false });", "return 'ok';"],
     "insecure-cookie"),
]  # fmt: skip
HAPI_NEAR_MISSES = [
    ["return h.redirect('/home');"],
    ["const next = request.query.next;", "return h.redirect(ALLOWED.has(next) ? next : '/');"],
    ["h.state('session', token, { isSecure: true, isHttpOnly: true });", "return 'ok';"],
]


@pytest.mark.parametrize(("body", "rule_id"), [p for p in HAPI_POSITIVES if p[1]])
def test_hapi_flow_is_reported(build, body, rule_id):
    findings = review(build, "api/routes.js", [*HAPI_OPEN, *body, "}});"])
    assert (rule_id, len(HAPI_OPEN) + 1) in rule_lines(findings)


@pytest.mark.parametrize("body", HAPI_NEAR_MISSES)
def test_hapi_near_miss_stays_quiet(build, body):
    assert review(build, "api/routes.js", [*HAPI_OPEN, *body, "}});"]) == []


def test_hapi_payload_is_request_data(build):
    body = ["const { file } = request.payload;", "return fs.readFileSync(`/srv/${file}`);"]
    lines = ["const fs = require('fs');", *HAPI_OPEN, *body, "}});"]
    assert ("path-traversal", len(HAPI_OPEN) + 3) in rule_lines(review(build, "api/r.js", lines))


ANGULAR = [
    "import { Component, Input } from '@angular/core';",
    "import { ActivatedRoute } from '@angular/router';",
    "import { DomSanitizer, SecurityContext } from '@angular/platform-browser';",
    "@Component({ selector: 'app-note', template: '<div [innerHTML]=\"html\"></div>' })",
    "export class NoteComponent {",
    "  @Input() content = '';",
    "  html: unknown;",
    "  constructor(private route: ActivatedRoute, private sanitizer: DomSanitizer) {}",
    "  ngOnInit() {",
]
ANGULAR_POSITIVES = [
    ["const note = this.route.snapshot.queryParamMap.get('note');",
     "this.html = this.sanitizer.bypassSecurityTrustHtml(note);"],
    ["this.html = this.sanitizer.bypassSecurityTrustHtml(this.route.snapshot.queryParams.q);"],
    ["this.html = this.sanitizer.bypassSecurityTrustHtml(this.content);"],
]  # fmt: skip
ANGULAR_NEAR_MISSES = [
    ["this.html = this.sanitizer.bypassSecurityTrustHtml('<b>fixed</b>');"],
    ["const clean = this.sanitizer.sanitize(SecurityContext.HTML, this.content);",
     "this.html = clean;"],
    ["const id = Number(this.route.snapshot.paramMap.get('id'));",
     "this.html = this.sanitizer.bypassSecurityTrustUrl(`/notes/${id}`);"],
]  # fmt: skip


@pytest.mark.parametrize("body", ANGULAR_POSITIVES)
def test_angular_bypass_with_route_or_input_data_is_xss(build, body):
    findings = review(build, "web/src/app/note.component.ts", [*ANGULAR, *body, "  }", "}"])
    assert ("xss", len(ANGULAR) + len(body)) in rule_lines(findings)


@pytest.mark.parametrize("body", ANGULAR_NEAR_MISSES)
def test_angular_bypass_near_miss_stays_quiet(build, body):
    assert review(build, "web/src/app/note.component.ts", [*ANGULAR, *body, "  }", "}"]) == []


NEXT_OPEN = [
    "import { NextResponse } from 'next/server';",
    "import { prisma } from '@/lib/db';",
    "export async function POST(request: Request, { params }: { params: { id: string } }) {",
]
NEXT_POSITIVES = [
    ["const body = await request.json();",
     "const user = await prisma.user.update({ where: { id: params.id }, data: body });"],
    ["const body = await request.json();",
     "const user = await prisma.user.create({ data: { ...body } });"],
    ["const user = await prisma.user.upsert({ where: { id: params.id },",
     "  create: await request.json(), update: {} });"],
]  # fmt: skip
NEXT_NEAR_MISSES = [
    ["const body = await request.json();",
     "const user = await prisma.user.update({ where: { id: params.id },",
     "  data: { name: String(body.name) } });"],
    ["const body = UpdateUser.parse(await request.json());",
     "const user = await prisma.user.update({ where: { id: params.id }, data: body });"],
    ["const { name, email } = await request.json();",
     "const user = await prisma.user.create({ data: { name, email } });"],
]  # fmt: skip


@pytest.mark.parametrize("body", NEXT_POSITIVES)
def test_next_whole_body_to_prisma_is_mass_assignment(build, body):
    lines = [*NEXT_OPEN, *body, "  return NextResponse.json(user);", "}"]
    findings = review(build, "app/api/users/[id]/route.ts", lines)
    assert [r for r, _ in rule_lines(findings)] == ["mass-assignment"]


@pytest.mark.parametrize("body", NEXT_NEAR_MISSES)
def test_next_picked_or_parsed_body_stays_quiet(build, body):
    lines = [*NEXT_OPEN, *body, "  return NextResponse.json(user);", "}"]
    assert review(build, "app/api/users/[id]/route.ts", lines) == []


def test_next_redirect_to_url_from_query_is_open_redirect(build):
    lines = [
        "import { NextResponse, type NextRequest } from 'next/server';",
        "export function GET(request: NextRequest) {",
        "  const next = request.nextUrl.searchParams.get('next') ?? '/';",
        "  return NextResponse.redirect(new URL(next, request.url));",
        "}",
    ]
    assert ("open-redirect", 4) in rule_lines(review(build, "app/login/route.ts", lines))


VUE = [
    "<template>",
    "  <article>",
    "    <h1>{{ title }}</h1>",
    "    BINDING",
    "  </article>",
    "</template>",
    "<script>",
    "import DOMPurify from 'dompurify';",
    "export default {",
    "  props: ['bio', 'title'],",
    "  computed: {",
    "    rendered() {",
    "      return DOMPurify.sanitize(this.bio);",
    "    },",
    "    message() { return this.$route.query.msg; },",
    "  },",
    "};",
    "</script>",
]


def _vue(binding: str) -> list[str]:
    return [binding if line == "    BINDING" else line for line in VUE]


@pytest.mark.parametrize(
    "binding",
    ['    <div v-html="bio"></div>', '    <p v-html="$route.query.msg"></p>',
     '    <p v-html="message"></p>'],
)  # fmt: skip
def test_vue_v_html_with_unsanitised_data_is_xss(build, binding):
    assert rule_lines(review(build, "web/src/Profile.vue", _vue(binding))) == [("xss", 4)]


@pytest.mark.parametrize(
    "binding",
    ['    <div v-html="rendered"></div>', '    <div v-html="DOMPurify.sanitize(bio)"></div>',
     "    <div v-html=\"'<hr>'\"></div>", '    <div v-text="bio"></div>'],
)  # fmt: skip
def test_vue_sanitised_or_text_binding_stays_quiet(build, binding):
    assert review(build, "web/src/Profile.vue", _vue(binding)) == []


def test_vue_script_is_scanned_with_its_own_line_numbers(build):
    lines = [
        *VUE[:-2],
        "export function run(q) { return eval(location.hash.slice(1)); }",
        *VUE[-2:],
    ]
    lines = [line for line in lines if line != "    BINDING"]
    found = rule_lines(review(build, "web/src/Profile.vue", lines))
    assert found == [("code-injection", len(VUE) - 2)]


SVELTE = [
    "<script>",
    "  import { page } from '$app/stores';",
    "  import DOMPurify from 'dompurify';",
    "  export let comment;",
    "  $: safeComment = DOMPurify.sanitize(comment);",
    "</script>",
    "<section>",
    "  BINDING",
    "</section>",
]


SVELTE_CASES = [
    ("  {@html comment}", [("xss", 8)]),
    ("  {@html $page.url.searchParams.get('m')}", [("xss", 8)]),
    ("  {@html safeComment}", []),
    ("  {comment}", []),
    ("  {@html DOMPurify.sanitize(comment)}", []),
]


@pytest.mark.parametrize(("binding", "expected"), SVELTE_CASES)
def test_svelte_raw_html(build, binding, expected):
    lines = [binding if line == "  BINDING" else line for line in SVELTE]
    assert rule_lines(review(build, "web/src/Comment.svelte", lines)) == expected
