"""A Next.js server action receives the FormData the browser posted: turning all of it into
an object (`Object.fromEntries(formData)`, `.entries()`, a spread of that) and writing it to
the ORM is mass assignment; picked fields and schema-parsed values are not."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "'use server';",
    "",
    "import { prisma } from '@/server/prisma';",
    "import { OrgSettings } from '@/server/schemas';",
    "",
    "export async function saveOrganisation(orgId: string, form: FormData) {",
]
CLOSE = ["  return { saved: true };", "}"]


def _rules(build, body: list[str]) -> list[tuple[str, int]]:
    code = [*OPEN, *body, *CLOSE]
    return rule_lines(review(build, "app/orgs/[id]/actions.ts", code))


WRITE = len(OPEN) + 2

POSITIVES = [
    ["  const fields = Object.fromEntries(form);",
     "  await prisma.organisation.update({ where: { id: orgId }, data: fields });"],
    ["  const fields = Object.fromEntries(form.entries()) as Record<string, string>;",
     "  await prisma.organisation.update({ where: { id: orgId }, data: fields });"],
    ["  const fields = { ...Object.fromEntries(form), updatedAt: new Date() };",
     "  await prisma.organisation.update({ where: { id: orgId }, data: fields });"],
    ["  const fields = Object.fromEntries(form);",
     "  await Organisation.create(fields);"],
]  # fmt: skip


@pytest.mark.parametrize("body", POSITIVES)
def test_whole_form_written_to_the_model(build, body):
    assert _rules(build, body) == [("mass-assignment", WRITE)]


NEAR_MISSES = [
    ["  const fields = OrgSettings.parse(Object.fromEntries(form));",
     "  await prisma.organisation.update({ where: { id: orgId }, data: fields });"],
    ["  const { displayName, timezone } = Object.fromEntries(form);",
     "  await prisma.organisation.update({ data: { displayName, timezone } });"],
    ["  const fields = { displayName: String(form.get('displayName') ?? '') };",
     "  await prisma.organisation.update({ where: { id: orgId }, data: fields });"],
]  # fmt: skip


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_picked_or_parsed_fields_stay_quiet(build, body):
    assert _rules(build, body) == []


def test_form_data_built_on_the_client_is_not_a_request(build):
    """Outside a server action the FormData is the component's own: no request to trust."""
    code = [
        "'use client';",
        "export function toDraft(form: FormData) {",
        "  const fields = Object.fromEntries(form);",
        "  return drafts.create(fields);",
        "}",
    ]
    assert rule_lines(review(build, "app/orgs/draft.ts", code)) == []
