"""Go: net/http, mux and gin sources reaching database/sql, os/exec, html/template, files,
HTTP clients and redirects; hardening checks; near misses stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "package api",
    "",
    'import "net/http"',
    "",
    "func handle(w http.ResponseWriter, r *http.Request) {",
]
CLOSE = ["}"]
FIRST = len(OPEN) + 1

POSITIVES = [
    (
        ['rows, err := db.Query("SELECT * FROM t WHERE id = " + r.URL.Query().Get("id"))'],
        "sql-injection",
    ),
    (
        ['q := fmt.Sprintf("DELETE FROM t WHERE name = \'%s\'", r.FormValue("n"))', "db.Exec(q)"],
        "sql-injection",
    ),
    (
        ['name := mux.Vars(r)["name"]', 'exec.Command("sh", "-c", "grep "+name+" /data").Run()'],
        "shell-injection",
    ),
    (['out := template.HTML(r.FormValue("bio"))'], "xss"),
    (['fmt.Fprintf(w, "<p>%s</p>", r.URL.Query().Get("q"))'], "xss"),
    (['f, _ := os.Open(filepath.Join("/srv/files", r.URL.Query().Get("f")))'], "path-traversal"),
    (['resp, _ := http.Get(r.FormValue("url"))'], "ssrf"),
    (['http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound)'], "open-redirect"),
]

NEAR_MISSES = [
    ['rows, _ := db.Query("SELECT * FROM t WHERE id = $1", r.URL.Query().Get("id"))'],
    ['rows, _ := db.Query("SELECT * FROM t WHERE id = ?", r.FormValue("id"))'],
    [
        'id, _ := strconv.Atoi(r.FormValue("id"))',
        'db.Query(fmt.Sprintf("SELECT * FROM t LIMIT %d", id))',
    ],
    ['exec.Command("git", "log", r.FormValue("ref")).Run()'],
    ['exec.Command("sh", "-c", "ls -la /tmp").Run()'],
    ['fmt.Fprintf(w, "<p>%s</p>", html.EscapeString(r.FormValue("q")))'],
    [
        'p := filepath.Clean(filepath.Join(base, r.FormValue("f")))',
        "if !strings.HasPrefix(p, base) {",
        "\treturn",
        "}",
        "f, _ := os.Open(p)",
    ],
    ['resp, _ := http.Get("https://api.example.com/items/" + r.FormValue("id"))'],
    ['http.Redirect(w, r, "/items/"+r.FormValue("id"), http.StatusFound)'],
    ['resp, _ := http.Get(os.Getenv("UPSTREAM"))'],
]


@pytest.mark.parametrize(("body", "rule_id"), POSITIVES)
def test_tainted_flow(build, body, rule_id):
    findings = review(build, "internal/api/handler.go", OPEN + body + CLOSE)
    assert (rule_id, FIRST + len(body) - 1) in rule_lines(findings), rule_lines(findings)


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_near_miss(build, body):
    assert rule_lines(review(build, "internal/api/handler.go", OPEN + body + CLOSE)) == []


def test_flow_through_a_local_function(build):
    code = [
        "package api",
        "func lookup(name string) string {",
        '\treturn "SELECT * FROM users WHERE name = \'" + name + "\'"',
        "}",
        "func handle(c *gin.Context) {",
        '\tdb.Query(lookup(c.Query("name")))',
        "}",
    ]
    findings = review(build, "api/users.go", code)
    assert ("sql-injection", 6) in rule_lines(findings)
    assert "c.Query" in next(f.message for f in findings if f.start_line == 6)


HARDENING = [
    ("cfg := &tls.Config{InsecureSkipVerify: true}", "tls-verification-disabled"),
    ("sum := md5.Sum([]byte(password))", "weak-password-hash"),
    ("block, _ := des.NewCipher(key)", "weak-cipher"),
    ('mode := cipher.NewCBCEncrypter(block, []byte("0123456789abcdef"))', "static-iv"),
    ("key, _ := rsa.GenerateKey(rand.Reader, 1024)", "weak-key-size"),
    ('http.SetCookie(w, &http.Cookie{Name: "session", Value: v})', "insecure-cookie"),
    ("os.WriteFile(path, data, 0777)", "insecure-permissions"),
    ('os.WriteFile("/tmp/report.csv", data, 0600)', "insecure-temp-file"),
]
HARDENING_QUIET = [
    "cfg := &tls.Config{MinVersion: tls.VersionTLS12}",
    "sum := sha256.Sum256(data)",
    "key, _ := rsa.GenerateKey(rand.Reader, 3072)",
    'http.SetCookie(w, &http.Cookie{Name: "session", Value: v, Secure: true, HttpOnly: true})',
    "os.WriteFile(path, data, 0600)",
    'f, _ := os.CreateTemp("", "report-*.csv")',
]


@pytest.mark.parametrize(("line", "rule_id"), HARDENING)
def test_hardening(build, line, rule_id):
    code = ["package api", "func f() {", line, "}"]
    assert (rule_id, 3) in rule_lines(review(build, "api/crypto.go", code))


@pytest.mark.parametrize("line", HARDENING_QUIET)
def test_hardening_quiet(build, line):
    code = ["package api", "func f() {", line, "}"]
    assert rule_lines(review(build, "api/crypto.go", code)) == []


def test_math_rand_for_tokens(build):
    code = [
        "package api",
        'import "math/rand"',
        "func newToken() int {",
        "\treturn rand.Int()",
        "}",
    ]
    assert rule_lines(review(build, "api/token.go", code)) == [("insecure-randomness", 4)]
    safe = [
        "package api",
        'import "math/rand"',
        "func jitter() int {",
        "\treturn rand.Intn(100)",
        "}",
    ]
    assert rule_lines(review(build, "api/jitter.go", safe)) == []
