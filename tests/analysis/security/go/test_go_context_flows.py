"""Go: framework-context redirects, HTTP clients held in fields, request bodies decoded into
structs, and number parsing mixed with an `IsLocal`-checked name in one path."""

import pytest

from tests.analysis.security.review import review, rule_lines

HEAD = [
    "package api",
    "",
    'import "net/http"',
    "",
]


def _rules(build, lines: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "internal/api/handlers.go", HEAD + lines))


def test_gin_context_redirect_to_query_value(build):
    code = [
        "func back(c *gin.Context) {",
        '    c.Redirect(http.StatusSeeOther, c.Query("return_to"))',
        "}",
    ]
    assert ("open-redirect", 6) in _rules(build, code)


def test_context_redirect_to_fixed_path_is_quiet(build):
    code = [
        "func back(c echo.Context) error {",
        '    return c.Redirect(http.StatusSeeOther, "/dashboard")',
        "}",
    ]
    assert _rules(build, code) == []


def test_unmarshalled_body_url_fetched_with_a_field_client(build):
    code = [
        "func (s *Service) Hook(w http.ResponseWriter, r *http.Request) {",
        "    raw, _ := io.ReadAll(r.Body)",
        "    var hook struct{ Target string }",
        "    _ = json.Unmarshal(raw, &hook)",
        '    resp, err := s.outbound.httpClient.Post(hook.Target, "application/json", nil)',
        "    _ = resp",
        "    _ = err",
        "}",
    ]
    assert ("ssrf", 9) in _rules(build, code)


def test_bound_request_fetched_through_new_request(build):
    code = [
        "func probe(c *gin.Context) {",
        "    var in probeInput",
        "    if err := c.ShouldBindJSON(&in); err != nil {",
        "        return",
        "    }",
        '    req, _ := http.NewRequest("GET", in.Endpoint, nil)',
        "    _, _ = client.Do(req)",
        "}",
    ]
    assert ("ssrf", 10) in _rules(build, code)


def test_field_client_with_fixed_host_is_quiet(build):
    code = [
        "func (s *Service) Rates(w http.ResponseWriter, r *http.Request) {",
        "    var q struct{ Currency string }",
        "    _ = json.NewDecoder(r.Body).Decode(&q)",
        '    resp, _ := s.apiClient.Get("https://rates.example.com/v1/latest")',
        "    _ = resp",
        "}",
    ]
    assert _rules(build, code) == []


@pytest.mark.parametrize(
    ("guard", "expected"),
    [
        ("    if err != nil || !filepath.IsLocal(name) {", []),
        ("    if err != nil {", [("path-traversal", 12)]),
    ],
)
def test_parsed_number_and_local_name_in_one_path(build, guard, expected):
    code = [
        "func get(w http.ResponseWriter, r *http.Request) {",
        '    id, err := strconv.Atoi(r.URL.Query().Get("id"))',
        '    name := r.URL.Query().Get("name")',
        guard,
        '        http.Error(w, "bad", http.StatusBadRequest)',
        "        return",
        "    }",
        '    f, _ := os.Open(filepath.Join("/srv/blobs", strconv.Itoa(id), name))',
        "    _ = f",
        "}",
    ]
    assert _rules(build, code) == expected
