"""Go frameworks: fiber and echo sources and sinks, pgx (SQL after ctx), gorm fragments,
cookies configured field by field, credentialed any-origin CORS; near misses stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

FIBER = ["package api", 'import "github.com/gofiber/fiber/v2"', "func h(c *fiber.Ctx) error {"]
ECHO = ["package api", 'import "github.com/labstack/echo/v4"', "func h(c echo.Context) error {"]
GORM = ["package api", 'import "gorm.io/gorm"', "func h(c *gin.Context) {"]
PGX = ["package api", "func h(ctx context.Context, conn *pgx.Conn, r *http.Request) {"]
CLOSE = ["}"]

POSITIVES = [
    (FIBER, ['return c.Redirect(c.Query("next"))'], "open-redirect"),
    (FIBER, ['return c.SendFile(filepath.Join("./uploads", c.Params("file")))'], "path-traversal"),
    (FIBER, ['return c.Download("/srv/" + c.Params("f"))'], "path-traversal"),
    (FIBER, ["var in Req", "c.BodyParser(&in)", "return c.Redirect(in.Next)"], "open-redirect"),
    (FIBER, ['c.Cookie(&fiber.Cookie{Name: "session", Value: t})'], "insecure-cookie"),
    (ECHO, ['return c.File(filepath.Join("/srv", c.Param("f")))'], "path-traversal"),
    (
        ECHO,
        ["k := new(http.Cookie)", 'k.Name = "session_id"', "k.Value = t", "c.SetCookie(k)"],
        "insecure-cookie",
    ),
    (
        PGX,
        ['conn.Query(ctx, fmt.Sprintf("SELECT * FROM t WHERE n = \'%s\'", r.FormValue("n")))'],
        "sql-injection",
    ),
    (
        PGX,
        ['pool.Exec(r.Context(), "DELETE FROM t WHERE n = \'" + r.FormValue("n") + "\'")'],
        "sql-injection",
    ),
    (GORM, ['db.Where(fmt.Sprintf("name = \'%s\'", c.Query("n"))).Find(&u)'], "sql-injection"),
]

NEAR_MISSES = [
    (FIBER, ['return c.Redirect("/login")']),
    (FIBER, ['return c.SendFile(filepath.Join("./uploads", filepath.Base(c.Params("f"))))']),
    (
        FIBER,
        ['c.Cookie(&fiber.Cookie{Name: "session", Value: t, Secure: true, HTTPOnly: true})'],
    ),
    (
        ECHO,
        [
            "k := new(http.Cookie)",
            'k.Name = "session_id"',
            "k.Secure = true",
            "k.HttpOnly = true",
            "c.SetCookie(k)",
        ],
    ),
    (
        ECHO,
        [
            'k := &http.Cookie{Name: "session", Value: t}',
            "k.Secure = true",
            "k.HttpOnly = true",
            "c.SetCookie(k)",
        ],
    ),
    (
        ECHO,
        [
            'name := c.Param("f")',
            "if !filepath.IsLocal(name) {",
            "\treturn nil",
            "}",
            'return c.File(filepath.Join("/srv", name))',
        ],
    ),
    (PGX, ['conn.QueryRow(ctx, "SELECT * FROM t WHERE n = $1", r.FormValue("n"))']),
    (PGX, ['conn.Exec(ctx, fmt.Sprintf("SELECT * FROM t LIMIT %d", 10))']),
    (GORM, ['db.Where("name = ?", c.Query("n")).Find(&u)']),
]


@pytest.mark.parametrize(("opening", "body", "rule_id"), POSITIVES)
def test_framework_flow(build, opening, body, rule_id):
    findings = review(build, "api/handler.go", opening + body + CLOSE)
    assert (rule_id, len(opening) + len(body)) in rule_lines(findings), rule_lines(findings)


@pytest.mark.parametrize(("opening", "body"), NEAR_MISSES)
def test_framework_near_miss(build, opening, body):
    assert rule_lines(review(build, "api/handler.go", opening + body + CLOSE)) == []


def _cors(origin_func: str, credentials: bool) -> list[str]:
    lines = ["package api", "func routes() {", "\tr.Use(cors.New(cors.Config{",
             f"\t\tAllowOriginFunc: {origin_func},"]  # fmt: skip
    if credentials:
        lines.append("\t\tAllowCredentials: true,")
    return [*lines, "\t}))", "}"]


def test_origin_func_accepting_everything_with_credentials(build):
    code = _cors("func(origin string) bool { return true }", credentials=True)
    assert rule_lines(review(build, "api/routes.go", code)) == [("permissive-cors", 4)]


@pytest.mark.parametrize(
    ("origin_func", "credentials"),
    [
        ('func(origin string) bool { return origin == "https://app.example.com" }', True),
        ("func(origin string) bool { return true }", False),
    ],
)
def test_origin_func_near_misses(build, origin_func, credentials):
    code = _cors(origin_func, credentials)
    assert rule_lines(review(build, "api/routes.go", code)) == []


def test_clean_is_not_a_guard_but_a_prefix_check_is(build):
    opening = ["package api", "func h(w http.ResponseWriter, r *http.Request) {"]
    cleaned = ['p := filepath.Clean(filepath.Join(base, r.URL.Query().Get("f")))',
               "http.ServeFile(w, r, p)"]  # fmt: skip
    assert rule_lines(review(build, "api/files.go", opening + cleaned + CLOSE)) == [
        ("path-traversal", 4)
    ]
    guarded = [cleaned[0], "if !strings.HasPrefix(p, base) {", "\treturn", "}", cleaned[1]]
    assert rule_lines(review(build, "api/files.go", opening + guarded + CLOSE)) == []
