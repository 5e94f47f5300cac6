"""h3 request utilities (Nuxt and Nitro server routes) are request data: `getQuery`,
`getRouterParam(s)`, `readBody`, `readMultipartFormData`, headers and cookies. A file path
built from them is traversal unless reduced to a base name or checked against the base
directory after resolving; files that define no h3 handler keep these names unremarkable."""

import pytest

from tests.analysis.security.review import review, rule_lines

HEAD = [
    "import { createReadStream } from 'node:fs';",
    "import { readFile, writeFile } from 'node:fs/promises';",
    "import path from 'node:path';",
    "",
    "const EXPORTS = process.env.EXPORTS_ROOT || '/var/lib/exports';",
    "",
    "export default defineEventHandler(async (event) => {",
]
TAIL = ["});"]


def _rules(build, body: list[str]) -> list[tuple[str, int]]:
    code = [*HEAD, *body, *TAIL]
    return rule_lines(review(build, "server/routes/exports/[name].ts", code))


SINK_LINE = len(HEAD) + 2

POSITIVES = [
    ["  const name = getRouterParam(event, 'name');",
     "  return sendStream(event, createReadStream(path.join(EXPORTS, name!)));"],
    ["  const { report } = getQuery(event);",
     "  return readFile(`${EXPORTS}/${report}`, 'utf8');"],
    ["  const { file, text } = await readBody<{ file: string; text: string }>(event);",
     "  await writeFile(path.resolve(EXPORTS, file), text);"],
    ["  const parts = (await readMultipartFormData(event)) ?? [];",
     "  await writeFile(path.join(EXPORTS, parts[0].filename!), parts[0].data);"],
    ["  const { name } = getRouterParams(event);",
     "  return readFile(path.join(EXPORTS, 'reports', name));"],
]  # fmt: skip


@pytest.mark.parametrize("body", POSITIVES)
def test_request_data_in_a_file_path_is_traversal(build, body):
    assert _rules(build, body) == [("path-traversal", SINK_LINE)]


NEAR_MISSES = [
    ["  const name = getRouterParam(event, 'name');",
     "  return sendStream(event, createReadStream(path.join(EXPORTS, path.basename(name!))));"],
    ["  const target = path.resolve(EXPORTS, String(getQuery(event).report));",
     "  if (!target.startsWith(EXPORTS + path.sep)) throw createError({ statusCode: 400 });",
     "  return readFile(target, 'utf8');"],
    ["  const kind = getRouterParam(event, 'name');",
     "  return readFile(path.join(EXPORTS, 'latest.csv'), 'utf8');"],
]  # fmt: skip


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_checked_or_fixed_paths_stay_quiet(build, body):
    assert _rules(build, body) == []


def test_presence_checks_do_not_allow_list_a_value(build):
    """`if (!x || x.length === 0) throw` says a value is there, not which value it is."""
    body = [
        "  const { report } = getQuery(event);",
        "  if (typeof report !== 'string' || report.length === 0 || report === '') {",
        "    throw createError({ statusCode: 400, statusMessage: 'report is required' });",
        "  }",
        "  return readFile(path.join(EXPORTS, report), 'utf8');",
    ]
    assert _rules(build, body) == [("path-traversal", len(HEAD) + 5)]


def test_an_allow_list_check_still_clears_the_value(build):
    body = [
        "  const { report } = getQuery(event);",
        "  if (!KNOWN_REPORTS.includes(report)) {",
        "    throw createError({ statusCode: 404 });",
        "  }",
        "  return readFile(path.join(EXPORTS, report), 'utf8');",
    ]
    assert _rules(build, body) == []


def test_same_names_outside_h3_handlers_are_not_sources(build):
    code = [
        "import { readFile } from 'node:fs/promises';",
        "import { getQuery } from './saved-queries';",
        "export async function load(store, id) {",
        "  const query = getQuery(store, id);",
        "  return readFile(`/srv/queries/${query.file}`, 'utf8');",
        "}",
    ]
    assert rule_lines(review(build, "src/queries.ts", code)) == []
