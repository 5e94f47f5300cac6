"""Go: sqlx and pgx calls (the query after a destination and/or a context expression, sqlx
package functions taking the database first) and query variables started with SQL text and
extended with request data. Bound arguments, number parsing and non-database `Get` calls stay
quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

ECHO = [
    "package audit",
    'import "github.com/labstack/echo/v4"',
    "func (h *Handler) list(c echo.Context) error {",
]
CLOSE = ["\treturn nil", "}"]


def _sink_line(body: list[str]) -> int:
    return len(ECHO) + len(body)


FLAGGED = [
    # the filter appended to a query variable a few lines above the sink
    [
        '\tquery := "SELECT id, actor FROM audit_events WHERE org_id = $1"',
        '\tif actor := c.QueryParam("actor"); actor != "" {',
        "\t\tquery += fmt.Sprintf(\" AND actor = '%s'\", actor)",
        "\t}",
        "\tvar events []Event",
        "\th.DB.SelectContext(c.Request().Context(), &events, query, orgID(c))",
    ],
    [
        '\tvar q = "DELETE FROM sessions WHERE user_id = $1"',
        '\tq = q + " AND device = \'" + c.FormValue("device") + "\'"',
        "\th.DB.MustExec(q, uid)",
    ],
    [
        "\tvar ev Event",
        '\th.DB.GetContext(ctx, &ev, "SELECT * FROM events WHERE id = " + c.Param("id"))',
    ],
    [
        "\tvar rows []Row",
        "\tsqlx.Select(h.DB, &rows, fmt.Sprintf(\"SELECT * FROM t WHERE n = '%s'\","
        ' c.QueryParam("n")))',
    ],
    [
        "\tvar rows []Row",
        '\tsqlx.SelectContext(ctx, h.DB, &rows, "SELECT * FROM t ORDER BY " + c.QueryParam("s"))',
    ],
    [
        '\trows, _ := h.DB.NamedQueryContext(ctx, "SELECT * FROM t WHERE a = \'" +'
        ' c.QueryParam("a") + "\'", args)',
    ],
    [
        '\trows, _ := h.DB.QueryxContext(ctx, fmt.Sprintf("SELECT * FROM t WHERE a = %s",'
        ' c.QueryParam("a")))',
    ],
]

QUIET = [
    # bound as an argument
    [
        '\tquery := "SELECT id, actor FROM audit_events WHERE org_id = $1"',
        "\targs := []any{orgID(c)}",
        '\tif actor := c.QueryParam("actor"); actor != "" {',
        '\t\tquery += " AND actor = $2"',
        "\t\targs = append(args, actor)",
        "\t}",
        "\tvar events []Event",
        "\th.DB.SelectContext(c.Request().Context(), &events, query, args...)",
    ],
    # parsed as a number first
    [
        '\tquery := "SELECT * FROM t WHERE org = $1"',
        '\tif n, err := strconv.Atoi(c.QueryParam("limit")); err == nil {',
        '\t\tquery += fmt.Sprintf(" LIMIT %d", n)',
        "\t}",
        "\tvar rows []Row",
        "\th.DB.SelectContext(ctx, &rows, query, org)",
    ],
    # a key-value store's Get(ctx, key) is not a query, even with request data in the key
    [
        '\tkey := c.Param("id")',
        "\tval, _ := h.Cache.GetContext(ctx, key)",
        "\t_ = val",
    ],
    # a variable never holding SQL text, handed to a named statement
    [
        "\tvar ev Event",
        '\th.DB.GetContext(ctx, &ev, "SELECT * FROM events WHERE id = $1", c.Param("id"))',
    ],
]


@pytest.mark.parametrize("body", FLAGGED)
def test_sqlx_query_built_from_request_data(build, body):
    findings = review(build, "internal/audit/handler.go", ECHO + body + CLOSE)
    assert ("sql-injection", _sink_line(body)) in rule_lines(findings), rule_lines(findings)


@pytest.mark.parametrize("body", QUIET)
def test_sqlx_near_misses(build, body):
    assert rule_lines(review(build, "internal/audit/handler.go", ECHO + body + CLOSE)) == []


def test_query_variable_without_sql_text_is_not_assumed_to_be_sql(build):
    """Request data passed straight to a `Get`-shaped call: no SQL text seen, no finding."""
    body = ['\tname := c.QueryParam("n")', "\tvar v Value", "\th.Store.Get(&v, name)"]
    assert rule_lines(review(build, "internal/audit/handler.go", ECHO + body + CLOSE)) == []


@pytest.mark.parametrize(
    "context",
    ["c.Request().Context()", "c.Request.Context()", "c.UserContext()", "s.ctx", "r.Context()"],
)
def test_pgx_query_after_any_context_expression(build, context):
    body = [
        "\tsql := fmt.Sprintf(\"SELECT id FROM customers WHERE country = '%s'\","
        ' c.QueryParam("country"))',
        f"\trows, _ := h.Pool.Query({context}, sql)",
        "\t_ = rows",
    ]
    findings = review(build, "internal/customers/handler.go", ECHO + body + CLOSE)
    assert rule_lines(findings) == [("sql-injection", len(ECHO) + 2)]


def test_pgx_query_variable_extended_with_request_data(build):
    body = [
        '\tq := "SELECT id FROM customers WHERE org = $1"',
        '\tif s := c.QueryParam("sort"); s != "" {',
        '\t\tq += " ORDER BY " + s',
        "\t}",
        "\trows, _ := h.Pool.Query(ctx, q, org)",
        "\t_ = rows",
    ]
    findings = review(build, "internal/customers/handler.go", ECHO + body + CLOSE)
    assert rule_lines(findings) == [("sql-injection", len(ECHO) + 5)]
    bound = [
        '\tq := "SELECT id FROM customers WHERE org = $1"',
        "\targs := []any{org}",
        '\tif s := c.QueryParam("country"); s != "" {',
        '\t\tq += " AND country = $2"',
        "\t\targs = append(args, s)",
        "\t}",
        "\trows, _ := h.Pool.Query(ctx, q, args...)",
        "\t_ = rows",
    ]
    assert rule_lines(review(build, "internal/customers/handler.go", ECHO + bound + CLOSE)) == []
