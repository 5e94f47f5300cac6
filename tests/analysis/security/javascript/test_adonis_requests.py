"""AdonisJS controllers: `request.all()`, `request.body()`, `request.qs()` and
`request.except([...])` are the whole client input, so merging them into a Lucid model
(`merge`, `fill`, `create`, `updateOrCreate`, `firstOrCreate`) is mass assignment;
`request.only([...])`, a VineJS `request.validateUsing(...)` payload and single fields stay
quiet. The request's readers and the HttpContext's `params` are sources for other sinks."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "import type { HttpContext } from '@adonisjs/core/http'",
    "import Invoice from '#models/invoice'",
    "import { invoiceValidator } from '#validators/invoice'",
    "",
    "export default class InvoicesController {",
]
CLOSE = ["  }", "}"]
PATH = "app/controllers/invoices_controller.ts"

POSITIVES = [
    (["  async update({ params, request }: HttpContext) {",
      "    const invoice = await Invoice.findOrFail(params.id)",
      "    invoice.merge(request.all())"], "invoice.merge"),
    (["  async store({ request }: HttpContext) {",
      "    return Invoice.create(request.body())"], "Invoice.create"),
    (["  async store({ request }: HttpContext) {",
      "    const data = request.except(['id', 'csrf_token'])",
      "    return Invoice.create(data)"], "Invoice.create"),
    (["  async store(ctx: HttpContext) {", "    const invoice = new Invoice()",
      "    await invoice.fill(ctx.request.all()).save()"], "invoice.fill"),
    (["  async upsert({ params, request }: HttpContext) {",
      "    return Invoice.updateOrCreate({ number: params.number }, request.all())"],
     "updateOrCreate"),
    (["  async draft({ request, auth }: HttpContext) {",
      "    return Invoice.firstOrCreate({ ownerId: auth.user!.id }, request.qs())"],
     "firstOrCreate"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "at"), POSITIVES)
def test_whole_input_into_a_lucid_model_is_mass_assignment(build, body, at):
    code = [*OPEN, *body, *CLOSE]
    line = next(i for i, text in enumerate(code, 1) if at in text)
    assert rule_lines(review(build, PATH, code)) == [("mass-assignment", line)]


NEAR_MISSES = [
    ["  async update({ params, request }: HttpContext) {",
     "    const invoice = await Invoice.findOrFail(params.id)",
     "    invoice.merge(request.only(['memo', 'dueOn']))", "    await invoice.save()"],
    ["  async store({ request }: HttpContext) {",
     "    const payload = await request.validateUsing(invoiceValidator)",
     "    const invoice = await Invoice.create(payload)",
     "    return invoice.merge(payload).save()"],
    ["  async store({ request }: HttpContext) {",
     "    return Invoice.create({ memo: request.input('memo'), dueOn: request.input('due_on') })"],
    ["  async store({ request }: HttpContext) {", "    const { memo } = request.all()",
     "    return Invoice.create({ memo })"],
]  # fmt: skip


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_picked_or_validated_input_stays_quiet(build, body):
    assert rule_lines(review(build, PATH, [*OPEN, *body, *CLOSE])) == []


SOURCES = [
    (["  async show({ params, response }: HttpContext) {",
      "    return response.download(`storage/invoices/${params.file}`)"], "path-traversal"),
    (["  async index({ request }: HttpContext) {",
      "    const { sort } = request.qs()",
      "    return db.rawQuery(`SELECT * FROM invoices ORDER BY ${sort}`)"], "sql-injection"),
    (["  async preview({ request }: HttpContext) {",
      "    return fs.readFileSync(`templates/${request.input('template')}`)"], "path-traversal"),
    (["  async index(ctx: HttpContext) {",
      "    return fetch(ctx.request.header('x-callback-url'))"], "ssrf"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "rule_id"), SOURCES)
def test_adonis_request_data_reaches_sinks(build, body, rule_id):
    code = ["import fs from 'node:fs'", "import db from '@adonisjs/lucid/services/db'", *OPEN]
    code += [*body, *CLOSE]
    assert rule_lines(review(build, PATH, code)) == [(rule_id, len(code) - 2)]


def test_an_untyped_destructured_parameter_is_not_a_request(build):
    code = [
        "import fs from 'node:fs'",
        "export function readTemplate({ params }: { params: { name: string } }) {",
        "  return fs.readFileSync(`templates/${params.name}`)",
        "}",
    ]
    assert rule_lines(review(build, "app/services/templates.ts", code)) == []
