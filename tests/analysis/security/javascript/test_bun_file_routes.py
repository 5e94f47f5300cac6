"""Bun's file API as a path sink (`Bun.file(path)`, also returned inside `new Response(...)`,
and `Bun.write(path, data)`), fed by handlers that destructure their request context
(Elysia's `({ params, query, body })`, Express's `({ query }, res)`) or by Hono's
`c.req.param()`. `basename` (imported by name or through the module) and a resolved-prefix
check stay quiet; a destructured parameter of a function that is not a route is not request
data, and neither are the context's non-request fields."""

import pytest

from tests.analysis.security.review import review, rule_lines

ELYSIA = [
    "import { Elysia } from 'elysia';",
    "export const media = new Elysia({ prefix: '/media' })",
]
PATH = "src/routes/media.ts"

POSITIVES = [
    (ELYSIA, ["  .get('/:name', ({ params }) => Bun.file(`/srv/media/${params.name}`));"]),
    (ELYSIA, ["  .get('/raw', ({ query: { name } }) => new Response(Bun.file('/srv/' + name)));"]),
    (ELYSIA, ["  .get('/thumb', async ({ query, set }) => {",
              "    const file = Bun.file(`/srv/thumbs/${query.name}.webp`);",
              "    set.headers['cache-control'] = 'max-age=60';", "    return file;", "  });"]),
    (ELYSIA, ["  .post('/upload', async ({ body }) => {",
              "    await Bun.write(`/srv/uploads/${body.filename}`, body.file);",
              "    return { ok: true };", "  });"]),
    (["import { Hono } from 'hono';", "const app = new Hono();"],
     ["app.get('/media/:name', (c) => new Response(Bun.file(`/srv/${c.req.param('name')}`)));"]),
    (["import { Hono } from 'hono';", "import { readFile } from 'node:fs/promises';",
      "const app = new Hono();"],
     ["app.get('/media/:name', async (c) =>",
      "  c.body(await readFile('/srv/' + c.req.param('name'))));"]),
    (["const express = require('express');", "const fs = require('fs');",
      "const app = express();"],
     ["app.get('/media', ({ query }, res) => res.send(fs.readFileSync('/srv/' + query.name)));"]),
]  # fmt: skip


@pytest.mark.parametrize(("head", "body"), POSITIVES)
def test_request_chosen_file_is_path_traversal(build, head, body):
    code = [*head, *body]
    line = next(i for i, text in enumerate(code, 1) if "/srv/" in text)
    assert rule_lines(review(build, PATH, code)) == [("path-traversal", line)]


NEAR_MISSES = [
    (["import { basename } from 'node:path';"],
     ["  .get('/raw', ({ query }) => Bun.file('/srv/' + basename(query.name)));"]),
    (["import path from 'node:path';"],
     ["  .get('/raw', ({ query }) => Bun.file(path.join('/srv', path.basename(query.name))));"]),
    (["import { resolve, sep } from 'node:path';", "const ROOT = '/srv/media';"],
     ["  .get('/raw', ({ query, set }) => {", "    const full = resolve(ROOT, query.name);",
      "    if (!full.startsWith(ROOT + sep)) {", "      set.status = 400;",
      "      return 'bad path';", "    }", "    return Bun.file(full);", "  });"]),
    # the context's non-request fields: a plugin-derived user, the response setter
    ([], ["  .get('/avatar', ({ user, set }) => {", "    set.headers['x-owner'] = user.id;",
          "    return Bun.file(`/srv/avatars/${user.avatarFile}`);", "  });"]),
    ([], ["  .get('/logo', () => Bun.file('/srv/static/logo.svg'));"]),
]  # fmt: skip


@pytest.mark.parametrize(("imports", "body"), NEAR_MISSES)
def test_sanitised_or_fixed_file_stays_quiet(build, imports, body):
    code = [*imports, *ELYSIA, *body]
    assert rule_lines(review(build, PATH, code)) == []


def test_destructured_parameter_outside_a_route_is_not_request_data(build):
    code = [
        "export function openUpload({ query }: { query: { name: string } }) {",
        "  return Bun.file(`/srv/uploads/${query.name}`);",
        "}",
        "export const handlers = new Map([['x', ({ params }) => Bun.file(params.name)]]);",
    ]
    assert rule_lines(review(build, "src/lib/uploads.ts", code)) == []
