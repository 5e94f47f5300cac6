"""TypeScript and Koa / Next.js / NestJS shapes: typed handlers, `as` casts, decorators,
framework sources and sinks; each positive has a near miss that must stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

KOA_OPEN = [
    "import Koa from 'koa';",
    "import { exec as run } from 'child_process';",
    "import { promisify } from 'util';",
    "import { readFile } from 'fs/promises';",
    "const sh = promisify(run);",
    "const api = new Koa();",
    "api.use(async (ctx: Koa.Context) => {",
]
KOA_FIRST = len(KOA_OPEN) + 1

KOA_POSITIVES = [
    (["await sh(`convert ${ctx.query.src as string} out.png`);"], "shell-injection"),
    (["const text = await readFile(`/srv/docs/${ctx.params.doc}`);"], "path-traversal"),
    (["ctx.redirect(ctx.query.next as string);"], "open-redirect"),
    (["ctx.cookies.set('session', token, { secure: false });"], "insecure-cookie"),
    (["await Account.update({ where: { id }, data: ctx.request.body as Patch });"],
     "mass-assignment"),
]  # fmt: skip

KOA_NEAR_MISSES = [
    ["await sh('convert in.png out.png');"],
    ["const text = await readFile('/srv/docs/index.md');"],
    ["const next = String(ctx.query.next);", "ctx.redirect(SAFE.includes(next) ? next : '/');"],
    ["ctx.cookies.set('session', token, { secure: true, sameSite: 'strict' });"],
    ["ctx.cookies.set('session', token);"],  # Koa sets httpOnly by default
    ["const { name } = ctx.request.body as Patch;", "await Account.update({ data: { name } });"],
]


@pytest.mark.parametrize(("body", "rule_id"), KOA_POSITIVES)
def test_koa_flow_is_reported(build, body, rule_id):
    findings = review(build, "api/src/app.ts", [*KOA_OPEN, *body, "});"])
    assert (rule_id, KOA_FIRST + len(body) - 1) in rule_lines(findings), rule_lines(findings)


@pytest.mark.parametrize("body", KOA_NEAR_MISSES)
def test_koa_near_miss_stays_quiet(build, body):
    findings = review(build, "api/src/app.ts", [*KOA_OPEN, *body, "});"])
    assert rule_lines(findings) == []


def test_fetch_request_body_in_a_route_handler_is_a_source(build):
    code = [
        "export async function PUT(req: Request): Promise<Response> {",
        "  const payload = (await req.json()) as { callback: string };",
        "  const upstream = await fetch(payload.callback!);",
        "  return Response.json({ ok: upstream.ok });",
        "}",
    ]
    assert ("ssrf", 3) in rule_lines(review(build, "web/app/api/ping/route.ts", code))


def test_fetch_to_a_fixed_host_from_a_route_handler_stays_quiet(build):
    code = [
        "export async function PUT(req: Request): Promise<Response> {",
        "  const payload = (await req.json()) as { id: string };",
        "  const upstream = await fetch(`https://billing.internal.example/v1/${payload.id}`);",
        "  return Response.json({ ok: upstream.ok });",
        "}",
    ]
    assert rule_lines(review(build, "web/app/api/ping/route.ts", code)) == []


def test_nest_decorated_parameters_carry_request_data(build):
    code = [
        "@Controller('files')",
        "export class FilesController {",
        "  @Get()",
        "  read(@Query('name') name: string, @Body() dto?: Options) {",
        "    return fs.readFileSync(path.join(ROOT, name));",
        "  }",
        "  list(folder: string) {",
        "    return fs.readFileSync(path.join(ROOT, folder));",
        "  }",
        "}",
    ]
    assert rule_lines(review(build, "src/files.controller.ts", code)) == [("path-traversal", 5)]


def test_jose_decode_without_verify_is_reported_and_verify_is_not(build):
    decoded = [
        "import * as jose from 'jose';",
        "export function roleOf(bearer: string): string {",
        "  return String(jose.decodeJwt(bearer).role);",
        "}",
    ]
    verified = [
        "import * as jose from 'jose';",
        "export async function roleOf(bearer: string, key: Uint8Array) {",
        "  const { payload } = await jose.jwtVerify(bearer, key);",
        "  return String(jose.decodeJwt(bearer).role ?? payload.role);",
        "}",
    ]
    assert rule_lines(review(build, "src/auth.ts", decoded)) == [("jwt-verification-disabled", 3)]
    assert rule_lines(review(build, "src/auth.ts", verified)) == []


def test_response_with_a_non_html_content_type_is_not_xss(build):
    handler = [
        "app.get('/export', (req, res) => {",
        "  res.set('Content-Type', 'text/csv');",
        "  res.send(`id,name\\n1,${req.query.name}`);",
        "});",
    ]
    html = [
        "app.get('/export', (req, res) => {",
        "  res.type('text/html');",
        "  res.send(`<p>${req.query.name}</p>`);",
        "});",
    ]
    assert rule_lines(review(build, "src/export.js", handler)) == []
    assert rule_lines(review(build, "src/export.js", html)) == [("xss", 3)]


def test_node_serialize_is_reported_once_at_the_call(build):
    code = [
        "const ns = require('node-serialize');",
        "module.exports = (req) => ns.unserialize(req.body.state);",
    ]
    only_import = ["const ns = require('node-serialize');", "module.exports = ns;"]
    assert rule_lines(review(build, "src/state.js", code)) == [("unsafe-deserialization", 2)]
    assert rule_lines(review(build, "src/state.js", only_import)) == [("unsafe-deserialization", 1)]


def test_ecb_cipher_without_iv_is_not_a_static_iv(build):
    ecb = ["const c = crypto.createCipheriv('aes-128-ecb', key, null);"]
    fixed = ["const c = crypto.createCipheriv('aes-128-cbc', key, Buffer.alloc(16, 0));"]
    assert rule_lines(review(build, "src/seal.js", ecb)) == [("ecb-mode", 1)]
    assert rule_lines(review(build, "src/seal.js", fixed)) == [("static-iv", 1)]


def test_next_middleware_redirect_to_a_search_param(build):
    code = [
        "export function middleware(req: NextRequest) {",
        "  const back = req.nextUrl.searchParams.get('back') ?? '/';",
        "  return NextResponse.redirect(new URL(back, req.url));",
        "}",
    ]
    fixed = [
        "export function middleware(req: NextRequest) {",
        "  const back = req.nextUrl.searchParams.get('back') ?? '/';",
        "  return NextResponse.redirect(new URL(HOMES.has(back) ? back : '/', req.url));",
        "}",
    ]
    assert rule_lines(review(build, "src/middleware.ts", code)) == [("open-redirect", 3)]
    assert rule_lines(review(build, "src/middleware.ts", fixed)) == []
