"""SQL libraries' tagged templates bind every `${value}` as a parameter (Drizzle, Kysely,
slonik, postgres.js, Prisma `$queryRaw` / `Prisma.sql`, sql-template-strings); their text
escape hatches (`sql.raw`, `$queryRawUnsafe`) and untagged templates are injection."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "import { sql } from 'drizzle-orm';",
    "import { Prisma } from '@prisma/client';",
    "",
    "export async function POST(request: Request) {",
    "  const { team, order } = await request.json();",
]
CLOSE = ["  return Response.json({ rows });", "}"]
AT = len(OPEN) + 1


def _rules(build, line: str) -> list[tuple[str, int]]:
    code = [*OPEN, f"  const rows = {line}", *CLOSE]
    return rule_lines(review(build, "app/api/members/route.ts", code))


@pytest.mark.parametrize(
    "line",
    [
        "await db.execute(sql`SELECT id FROM members WHERE team = ${team}`);",
        "await db.execute(sql<{ id: string }>`SELECT id FROM members WHERE team = ${team}`);",
        "await prisma.$queryRaw`SELECT id FROM members WHERE team = ${team}`;",
        "await prisma.$queryRaw<Member[]>`SELECT id FROM members WHERE team = ${team}`;",
        "await prisma.$executeRaw`DELETE FROM members WHERE team = ${team}`;",
        "await pool.query(Prisma.sql`SELECT id FROM members WHERE team = ${team}`);",
        "await pool.query(SQL`SELECT id FROM members WHERE team = ${team}`);",
        "await pool.any(sql.type(Member)`SELECT id FROM members WHERE team = ${team}`);",
        "await pool.query(sql.fragment`SELECT id FROM members WHERE team = ${team}`);",
        # a fragment composed from other tagged fragments stays parameterised
        "await db.execute(sql`SELECT id FROM members ${team ? sql`WHERE team = ${team}` : sql``}`)",
    ],
)
def test_tagged_sql_templates_are_parameterised(build, line):
    assert _rules(build, line) == []


@pytest.mark.parametrize(
    "line",
    [
        "await db.execute(sql`SELECT id FROM members ORDER BY ${sql.raw(order)}`);",
        "await prisma.$queryRawUnsafe(`SELECT id FROM members WHERE team = '${team}'`);",
        "await db.execute(`SELECT id FROM members WHERE team = '${team}'`);",
        "await pool.query(Prisma.raw(`SELECT id FROM members ORDER BY ${order}`));",
        # an unknown tag is not known to bind its values
        "await pool.query(concat`SELECT id FROM members WHERE team = '${team}'`);",
    ],
)
def test_sql_text_escape_hatches_are_injection(build, line):
    assert _rules(build, line) == [("sql-injection", AT)]


def test_tagged_template_with_variables_is_not_assembled_sql(build):
    """Non-request variables inside a tag are parameters too, not SQL text built by hand."""
    code = [
        "import postgres from 'postgres';",
        "const sql = postgres(process.env.DATABASE_URL);",
        "export async function archived(cutoff) {",
        "  const status = 'archived';",
        "  return sql`UPDATE orders SET status = ${status} WHERE placed_at < ${cutoff}`;",
        "}",
    ]
    assert rule_lines(review(build, "src/jobs/archive.js", code)) == []


def test_untagged_template_with_variables_is_still_assembled_sql(build):
    code = [
        "export async function archived(db, cutoff) {",
        "  const text = `UPDATE orders SET status = 'archived' WHERE placed_at < '${cutoff}'`;",
        "  return db.query(text);",
        "}",
    ]
    assert [rule for rule, _ in rule_lines(review(build, "src/jobs/archive.js", code))] == [
        "sql-injection"
    ]
