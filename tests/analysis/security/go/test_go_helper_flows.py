"""Go: request data handed to a helper of the same file reaches the sinks inside it (LDAP
filters, files, SQL), through functions and methods and a helper of a helper; values the
caller escaped or the helper checks, and constant arguments, stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

HEAD = [
    "package directory",
    "",
    'import ("fmt"; "net/http"; "os"; "path/filepath"; "github.com/go-ldap/ldap/v3")',
    "",
]


def _rules(build, lines: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "internal/directory/groups.go", HEAD + lines))


def _group_lookup(argument: str, filter_value: str = "group") -> list[str]:
    return [
        "func groupMembers(conn *ldap.Conn, group string) ([]string, error) {",
        '\tfilter := "(&(objectClass=groupOfNames)(cn=" + ' + filter_value + ' + "))"',
        '\treq := ldap.NewSearchRequest("ou=groups,dc=corp", ldap.ScopeSingleLevel,',
        '\t\tldap.NeverDerefAliases, 0, 0, false, filter, []string{"member"}, nil)',
        "\tres, err := conn.Search(req)",
        "\tif err != nil {",
        "\t\treturn nil, err",
        "\t}",
        '\treturn res.Entries[0].GetAttributeValues("member"), nil',
        "}",
        "",
        "func (h *Handler) members(w http.ResponseWriter, r *http.Request) {",
        f"\tnames, _ := groupMembers(h.conn, {argument})",
        "\tfmt.Fprintln(w, len(names))",
        "}",
    ]


def test_request_value_passed_to_a_helper_reaches_its_ldap_filter(build):
    code = _group_lookup('r.URL.Query().Get("group")')
    assert _rules(build, code) == [("ldap-injection", 8)]


@pytest.mark.parametrize(
    ("argument", "filter_value"),
    [
        ('ldap.EscapeFilter(r.URL.Query().Get("group"))', "group"),  # escaped by the caller
        ('r.URL.Query().Get("group")', "ldap.EscapeFilter(group)"),  # escaped in the helper
        ('"administrators"', "group"),  # a constant argument
    ],
)
def test_escaped_or_constant_helper_arguments_stay_quiet(build, argument, filter_value):
    assert _rules(build, _group_lookup(argument, filter_value)) == []


def test_a_method_helper_of_a_helper_reaches_a_file_read(build):
    code = [
        "type Docs struct{ root string }",
        "",
        "func (d *Docs) open(name string) ([]byte, error) {",
        "\treturn os.ReadFile(filepath.Join(d.root, name))",
        "}",
        "",
        "func (d *Docs) render(w http.ResponseWriter, page string) {",
        '\tbody, _ := d.open(page + ".md")',
        "\t_, _ = w.Write(body)",
        "}",
        "",
        "func (d *Docs) ServeHTTP(w http.ResponseWriter, r *http.Request) {",
        '\td.render(w, r.FormValue("page"))',
        "}",
    ]
    findings = review(build, "internal/directory/docs.go", HEAD + code)
    assert rule_lines(findings) == [("path-traversal", 8)]
    assert "passed to open" in findings[0].message


def test_helper_that_checks_the_name_itself_stays_quiet(build):
    code = [
        "func load(root, name string) ([]byte, error) {",
        "\tif !filepath.IsLocal(name) {",
        "\t\treturn nil, os.ErrPermission",
        "\t}",
        "\treturn os.ReadFile(filepath.Join(root, name))",
        "}",
        "",
        "func serve(w http.ResponseWriter, r *http.Request) {",
        '\tdata, _ := load("/srv/docs", r.FormValue("doc"))',
        "\t_, _ = w.Write(data)",
        "}",
    ]
    assert _rules(build, code) == []


def test_same_named_methods_of_two_types_are_not_guessed(build):
    code = [
        "type Archive struct{ root string }",
        "type Cache struct{ root string }",
        "",
        "func (a *Archive) read(name string) ([]byte, error) {",
        "\treturn os.ReadFile(filepath.Join(a.root, name))",
        "}",
        "",
        "func (c *Cache) read(key string) ([]byte, error) {",
        '\treturn os.ReadFile(filepath.Join(c.root, "entry"))',
        "}",
        "",
        "func get(c *Cache, w http.ResponseWriter, r *http.Request) {",
        '\tdata, _ := c.read(r.FormValue("key"))',
        "\t_, _ = w.Write(data)",
        "}",
    ]
    assert _rules(build, code) == []
