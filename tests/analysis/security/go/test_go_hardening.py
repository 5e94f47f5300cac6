"""Go: LDAP/Mongo queries, gin helpers and routes, AEAD nonces, CORS echo, pprof, JWT none,
cleartext posts, temp files, math/rand generators, stack traces, templates; literal lookup
tables and validated paths stay quiet. Each rule has a flagged case and a near miss."""

import pytest

from tests.analysis.security.review import review, rule_lines

HANDLER = ["package api", "", "func h(w http.ResponseWriter, r *http.Request) {"]

FLAGGED = [
    (
        [
            *HANDLER,
            '\tgroup := r.PostFormValue("group")',
            '\tsr := ldap.NewSearchRequest("dc=corp", 2, 0, 0, 0, false,',
            '\t\t"(memberOf=" + group + ")", nil, nil)',
            "\t_ = sr",
            "}",
        ],
        ("ldap-injection", 6),
    ),
    (
        [*HANDLER, '\tq := bson.M{"$where": "this.region == \'" + r.FormValue("rg") + "\'"}', "}"],
        ("nosql-injection", 4),
    ),
    (
        [
            "package api",
            'import "github.com/gin-gonic/gin"',
            "func dl(c *gin.Context) {",
            '\tc.FileAttachment("/srv/exports/"+c.Query("name"), "export.zip")',
            "}",
        ],
        ("path-traversal", 4),
    ),
    (
        [
            "package api",
            'import "crypto/cipher"',
            "var iv = []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}",
            "func seal(gcm cipher.AEAD, msg []byte) []byte {",
            "\treturn gcm.Seal(nil, iv, msg, nil)",
            "}",
        ],
        ("static-iv", 5),
    ),
    (
        [*HANDLER, '\tw.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))', "}"],
        ("permissive-cors", 4),
    ),
    (
        ["package main", 'import _ "net/http/pprof"', "func main() {",
         '\thttp.ListenAndServe("0.0.0.0:9000", nil)', "}"],
        ("debug-mode-enabled", 2),
    ),
    (
        ["package auth", "func pick(t *jwt.Token) (any, error) {",
         "\treturn jwt.UnsafeAllowNoneSignatureType, nil", "}"],
        ("jwt-none-algorithm", 3),
    ),
    (
        ["package api", "func send(b io.Reader) {",
         '\thttp.Post("http://ledger.partner.example/entries", "text/csv", b)', "}"],
        ("cleartext-transport", 3),
    ),
    (
        ["package api", "func stash(b []byte) {",
         '\tp := path.Join(os.TempDir(), "ledger.lock")', "\tos.WriteFile(p, b, 0o600)", "}"],
        ("insecure-temp-file", 4),
    ),
    (
        ["package api", 'import "math/rand"', "var gen = rand.New(rand.NewSource(1))",
         "func csrfToken() int64 {", "\treturn gen.Int63()", "}"],
        ("insecure-randomness", 5),
    ),
    (
        [*HANDLER, "\tfmt.Fprintf(w, \"%s\", debug.Stack())", "}"],
        ("information-leak", 4),
    ),
    (
        ["package api", 'import (', '\t"net/http"', '\t"html/template"', ")",
         "func h(w http.ResponseWriter, r *http.Request) {",
         '\tt := template.Must(template.New("x").Parse(r.PostFormValue("layout")))',
         "\tt.Execute(w, nil)", "}"],
        ("template-injection", 7),
    ),
]  # fmt: skip

QUIET = [
    # the LDAP value is escaped
    [*HANDLER, '\tf := "(cn=" + ldap.EscapeFilter(r.FormValue("cn")) + ")"',
     '\tsr := ldap.NewSearchRequest("dc=corp", 2, 0, 0, 0, false, f, nil, nil)', "\t_ = sr", "}"],
    # a plain equality filter, no operator keys
    [*HANDLER, '\tq := bson.M{"region": r.FormValue("rg")}', "\t_ = q", "}"],
    # gin file from a fixed directory listing
    ["package api", 'import "github.com/gin-gonic/gin"', "func dl(c *gin.Context) {",
     '\tc.File("/srv/static/index.html")', "}"],
    # nonce drawn fresh
    ["package api", 'import "crypto/cipher"', "func seal(gcm cipher.AEAD, msg []byte) []byte {",
     "\tn := make([]byte, gcm.NonceSize())", "\tio.ReadFull(rand.Reader, n)",
     "\treturn gcm.Seal(n, n, msg, nil)", "}"],
    # origin echoed only when allow-listed
    [*HANDLER, '\to := r.Header.Get("Origin")', "\tif trustedOrigins[o] {",
     '\t\tw.Header().Set("Access-Control-Allow-Origin", o)', "\t}", "}"],
    # pprof on loopback only
    ["package main", 'import _ "net/http/pprof"', "func main() {",
     '\thttp.ListenAndServe("127.0.0.1:6060", nil)', "}"],
    # rejecting none is fine
    ["package auth", "func pick(t *jwt.Token) (any, error) {",
     "\tif t.Method == jwt.SigningMethodNone {", '\t\treturn nil, errors.New("none")', "\t}",
     "\treturn key, nil", "}"],
    # https, and plain http to the local sidecar
    ["package api", "func send(b io.Reader) {",
     '\thttp.Post("https://ledger.partner.example/entries", "text/csv", b)',
     '\thttp.Post("http://127.0.0.1:8500/v1/kv", "text/plain", b)', "}"],
    # a random temp name
    ["package api", "func stash(b []byte) {", '\tf, _ := os.CreateTemp(os.TempDir(), "ledger-*")',
     "\tf.Write(b)", "}"],
    # math/rand for jitter
    ["package api", 'import "math/rand"', "var gen = rand.New(rand.NewSource(1))",
     "func backoff() int64 {", "\treturn gen.Int63()", "}"],
    # the stack goes to the log, the client gets a generic message
    [*HANDLER, "\tlog.Printf(\"%s\", debug.Stack())", '\tfmt.Fprint(w, "internal error")', "}"],
    # a constant template
    ["package api", 'import (', '\t"net/http"', '\t"html/template"', ")",
     "func h(w http.ResponseWriter, r *http.Request) {",
     '\tt := template.Must(template.New("x").Parse("<p>{{.}}</p>"))',
     '\tt.Execute(w, r.FormValue("n"))', "}"],
]  # fmt: skip


@pytest.mark.parametrize(("code", "expected"), FLAGGED)
def test_flagged(build, code, expected):
    assert expected in rule_lines(review(build, "internal/api/x.go", code))


@pytest.mark.parametrize("code", QUIET)
def test_quiet(build, code):
    assert rule_lines(review(build, "internal/api/x.go", code)) == []


def test_route_missing_the_guard_its_siblings_use(build):
    code = [
        "package api",
        "func routes(r *gin.RouterGroup) {",
        '\tr.PUT("/orgs/:id", AuthRequired(), updateOrg)',
        '\tr.GET("/orgs/:id/keys", AuthRequired(), listKeys)',
        '\tr.POST("/orgs/:id/keys", createKey)',
        "}",
    ]
    assert rule_lines(review(build, "internal/api/routes.go", code)) == [("missing-auth-guard", 5)]
    guarded_group = [
        "package api",
        "func routes(r *gin.Engine) {",
        '\tg := r.Group("/orgs", AuthRequired())',
        '\tg.PUT("/:id", updateOrg)',
        '\tg.GET("/:id/keys", listKeys)',
        '\tg.POST("/:id/keys", createKey)',
        "}",
    ]
    assert rule_lines(review(build, "internal/api/routes.go", guarded_group)) == []


def test_bound_body_saved_whole(build):
    head = ["package api", 'import "github.com/gin-gonic/gin"', "func upd(c *gin.Context) {"]
    whole = [*head, "\tvar acct Account", "\tc.BindJSON(&acct)", "\tstore.Updates(&acct)", "}"]
    assert rule_lines(review(build, "internal/api/acct.go", whole)) == [("mass-assignment", 5)]
    picked = [
        *head,
        "\tvar in AccountInput",
        "\tc.BindJSON(&in)",
        '\tstore.Model(&acct).Updates(map[string]any{"nick": in.Nick})',
        "}",
    ]
    assert rule_lines(review(build, "internal/api/acct.go", picked)) == []


def test_lookup_in_a_literal_table_is_not_sql_injection(build):
    code = [
        "package api",
        'var orders = map[string]string{"new": "created_at DESC", "old": "created_at"}',
        *HANDLER[1:],
        '\tdir := orders[r.FormValue("o")]',
        '\tq := fmt.Sprintf("SELECT id FROM jobs ORDER BY %s", dir)',
        "\tdb.Query(q)",
        "}",
    ]
    assert rule_lines(review(build, "internal/api/jobs.go", code)) == []
    unlisted = [*code[:4], '\tdir := r.FormValue("o")', *code[5:]]
    assert ("sql-injection", 7) in rule_lines(review(build, "internal/api/jobs.go", unlisted))


def test_path_checked_with_islocal(build):
    code = [
        *HANDLER,
        '\tp := r.FormValue("p")',
        "\tif !filepath.IsLocal(p) {",
        "\t\treturn",
        "\t}",
        '\tos.ReadFile(filepath.Join("/var/blobs", p))',
        "}",
    ]
    assert rule_lines(review(build, "internal/api/blob.go", code)) == []
    unchecked = [*code[:4], code[-2], code[-1]]
    assert rule_lines(review(build, "internal/api/blob.go", unchecked)) == [("path-traversal", 5)]
