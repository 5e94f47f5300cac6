"""Mass assignment across frameworks and ORMs: a whole request body (Hono, Fastify, Koa,
Next.js, Express) written by an ORM (Prisma, Sequelize, TypeORM, Mongoose, Knex) directly,
spread, through a variable or as the rest of a destructuring; picked fields, parsed schemas,
`pick` and Sequelize's `fields` allow-list stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

HONO = ["import { Hono } from 'hono';", "export const teams = new Hono();"]
HONO_ROUTE = "teams.put('/:id', async (c) => {"

POSITIVES = [
    # Hono: JSON body, through a variable, as Prisma data
    (HONO, HONO_ROUTE, ["  const input = await c.req.json();"],
     ["  const team = await prisma.team.update({", "    where: { id: c.req.param('id') },",
      "    data: input,", "  });"], "    data: input,"),
    # Hono: form body, typed read, shorthand `{ data }`
    (HONO, HONO_ROUTE, ["  const data = await c.req.parseBody<TeamForm>();"],
     ["  await prisma.team.updateMany({ where: { slug: c.req.param('id') }, data });"],
     "data });"),
    # spread with server-set fields still passes everything else through
    (HONO, HONO_ROUTE, ["  const input = await c.req.json();"],
     ["  await prisma.team.create({", "    data: { ...input, ownerId: c.get('userId') },",
      "  });"], "data: { ...input"),
    # Fastify: Sequelize instance update
    ([], "fastify.patch('/teams/:id', async (request, reply) => {", [],
     ["  const team = await Team.findByPk(request.params.id);",
      "  await team.update(request.body);"], "team.update(request.body)"),
    # Koa: TypeORM merge then save
    ([], "router.patch('/teams/:id', async (ctx) => {", [],
     ["  const team = await repo.findOneByOrFail({ id: ctx.params.id });",
      "  repo.merge(team, ctx.request.body);", "  await repo.save(team);"],
     "repo.merge(team"),
    # Express: rest of a destructured body into Mongoose
    ([], "router.patch('/teams/:id', async (req, res) => {",
     ["  const { id, ...changes } = req.body;"],
     ["  await Team.findByIdAndUpdate(id, changes, { new: true });"], "findByIdAndUpdate"),
    # Express: TypeORM save of the body, Knex insert through an alias
    ([], "router.post('/teams', async (req, res) => {", ["  const payload = req.body;",
      "  const row = payload;"], ["  await knex('teams').insert(row);"], "insert(row)"),
    ([], "router.post('/teams', async (req, res) => {", [],
     ["  const saved = await teamRepository.save(req.body);"], "save(req.body)"),
]  # fmt: skip


def _code(header, route, reads, writes):
    return [*header, route, *reads, *writes, "});"]


@pytest.mark.parametrize(("header", "route", "reads", "writes", "at"), POSITIVES)
def test_whole_body_written_by_an_orm_is_mass_assignment(build, header, route, reads, writes, at):
    code = _code(header, route, reads, writes)
    line = next(i for i, text in enumerate(code, 1) if at in text)
    findings = rule_lines(review(build, "src/routes/teams.ts", code))
    assert findings == [("mass-assignment", line)], findings


def test_next_form_data_as_an_object_is_the_whole_body(build):
    code = [
        "export async function POST(request: Request) {",
        "  const form = await request.formData();",
        "  const team = await prisma.team.create({ data: Object.fromEntries(form) });",
        "  return Response.json(team);",
        "}",
    ]
    assert rule_lines(review(build, "app/api/teams/route.ts", code)) == [("mass-assignment", 3)]


NEAR_MISSES = [
    (HONO, HONO_ROUTE, ["  const input = await c.req.json();"],
     ["  await prisma.team.update({ where: { id: c.req.param('id') },",
      "    data: { name: input.name, motto: input.motto } });"]),
    (HONO, HONO_ROUTE, ["  const data = TeamPatch.strict().parse(await c.req.json());"],
     ["  await prisma.team.update({ where: { id: c.req.param('id') }, data });"]),
    (HONO, "teams.put('/:id', zValidator('json', TeamPatch), async (c) => {",
     ["  const data = c.req.valid('json');"],
     ["  await prisma.team.update({ where: { id: c.req.param('id') }, data });"]),
    ([], "fastify.patch('/teams/:id', async (request, reply) => {", [],
     ["  await Team.update(request.body, {",
      "    where: { id: request.params.id }, fields: ['name', 'motto'] });"]),
    ([], "router.patch('/teams/:id', async (req, res) => {", [],
     ["  await knex('teams').where({ id: req.params.id })",
      "    .update(_.pick(req.body, ['name', 'motto']));"]),
    ([], "router.patch('/teams/:id', async (req, res) => {",
     ["  const { name, motto } = req.body;"],
     ["  await Team.findByIdAndUpdate(req.params.id, { name, motto });"]),
]  # fmt: skip


@pytest.mark.parametrize(("header", "route", "reads", "writes"), NEAR_MISSES)
def test_picked_or_validated_fields_stay_quiet(build, header, route, reads, writes):
    code = _code(header, route, reads, writes)
    assert rule_lines(review(build, "src/routes/teams.ts", code)) == []
