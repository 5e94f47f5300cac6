"""CORS options reach the cors middleware through Express/Koa `cors(...)`, NestJS
`app.enableCors(...)` and `NestFactory.create(Module, { cors })`, and Fastify's
`register(fastifyCors, ...)`; an origin that accepts every request Origin together with
credentials is reported, fixed allow-lists are not."""

import pytest

from analysis.policy import ReviewPolicy
from tests.analysis.security.review import review, rule_lines

NEST_OPEN = [
    "import { NestFactory } from '@nestjs/core';",
    "import { ApiModule } from './api.module';",
    "",
    "async function start() {",
]
NEST_CLOSE = ["  await server.listen(8080);", "}", "start();"]
AT = len(NEST_OPEN) + 1


def _nest(build, body: list[str]) -> list[tuple[str, int]]:
    code = [*NEST_OPEN, *body, *NEST_CLOSE]
    return rule_lines(review(build, "apps/api/src/main.ts", code))


@pytest.mark.parametrize(
    "body",
    [
        ["  const server = await NestFactory.create(ApiModule);",
         "  server.enableCors({ credentials: true, origin: true, maxAge: 600 });"],
        ["  const server = await NestFactory.create(ApiModule);",
         "  server.enableCors({",
         "    origin: (requestOrigin: string, done: Function) => done(null, true),",
         "    credentials: true,",
         "  });"],
        ["  const server = await NestFactory.create(ApiModule, {",
         "    cors: { origin: true, credentials: true },",
         "  });"],
    ],
)  # fmt: skip
def test_nest_cors_reflecting_every_origin_with_credentials(build, body):
    found = _nest(build, body)
    assert [rule for rule, _ in found] == ["permissive-cors"], found
    assert AT <= found[0][1] < AT + len(body)


@pytest.mark.parametrize(
    "body",
    [
        ["  const server = await NestFactory.create(ApiModule);",
         "  server.enableCors({ origin: ['https://console.example.com'], credentials: true });"],
        ["  const server = await NestFactory.create(ApiModule, {",
         "    cors: { origin: 'https://console.example.com', credentials: true },",
         "  });"],
        ["  const server = await NestFactory.create(ApiModule);",
         "  server.enableCors({",
         "    origin: (o: string, done: Function) => done(null, PARTNERS.has(o)),",
         "    credentials: true,",
         "  });"],
        ["  const server = await NestFactory.create(ApiModule, { cors: false });"],
    ],
)  # fmt: skip
def test_nest_cors_allow_lists_stay_quiet(build, body):
    assert _nest(build, body) == []


@pytest.mark.parametrize(
    "body",
    [
        ["  const server = await NestFactory.create(ApiModule, { cors: true });"],
        ["  const server = await NestFactory.create(ApiModule);", "  server.enableCors();"],
    ],
)
def test_nest_cors_defaults_are_below_the_reporting_bar(build, body):
    """The defaults allow `*` without credentials: noted, not reported by default policy."""
    code = [*NEST_OPEN, *body, *NEST_CLOSE]
    findings = review(build, "apps/api/src/main.ts", code)
    assert [f.rule_id for f in findings] == ["permissive-cors"]
    assert findings[0].confidence < ReviewPolicy().min_confidence


def test_options_declared_in_a_variable_are_read(build):
    code = [
        "const express = require('express');",
        "const cors = require('cors');",
        "const corsOptions = { origin: true, credentials: true };",
        "const app = express();",
        "app.use(cors(corsOptions));",
    ]
    assert rule_lines(review(build, "server/app.js", code)) == [("permissive-cors", 5)]


def test_variable_with_an_allow_list_stays_quiet(build):
    code = [
        "const cors = require('cors');",
        "const corsOptions = { origin: ['https://shop.example.com'], credentials: true };",
        "app.use(cors(corsOptions));",
    ]
    assert rule_lines(review(build, "server/app.js", code)) == []


@pytest.mark.parametrize(
    ("plugin_import", "options", "expected"),
    [
        ("import fastifyCors from '@fastify/cors';", "{ origin: true, credentials: true }",
         [("permissive-cors", 3)]),
        ("import fastifyCors from '@fastify/cors';", "{ origin: '*' }", [("permissive-cors", 3)]),
        ("import fastifyCors from '@fastify/cors';",
         "{ origin: ['https://a.example.com'], credentials: true }", []),
        # another plugin registered with the same option names is not CORS
        ("import fastifyCors from './local-plugin.js';", "{ origin: true, credentials: true }",
         []),
    ],
)  # fmt: skip
def test_fastify_cors_plugin(build, plugin_import, options, expected):
    code = [plugin_import, "const app = Fastify();", f"await app.register(fastifyCors, {options});"]
    assert rule_lines(review(build, "src/server.js", code)) == expected
