"""Java: Spring LDAP filters built from request data (encoded forms stay quiet), and trust
managers reported once, on the `checkServerTrusted` that accepts every certificate."""

import pytest

from tests.analysis.security.review import review, rule_lines

LDAP_OPEN = [
    "import org.springframework.ldap.core.LdapTemplate;",
    "import org.springframework.ldap.filter.EqualsFilter;",
    "import org.springframework.ldap.support.LdapEncoder;",
    "import static org.springframework.ldap.query.LdapQueryBuilder.query;",
    "",
    "@RestController",
    "class People {",
    "    private final LdapTemplate ldap;",
    "    People(LdapTemplate ldap) { this.ldap = ldap; }",
    '    @GetMapping("/people")',
    "    List<String> find(@RequestParam String name, @RequestParam String pw) {",
]
LDAP_CLOSE = ["    }", "}"]
FIRST = len(LDAP_OPEN) + 1


def _ldap(build, body: list[str]) -> list[tuple[str, int]]:
    code = LDAP_OPEN + [f"        {line}" for line in body] + LDAP_CLOSE
    return rule_lines(review(build, "src/main/java/app/People.java", code))


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (
            [
                'String f = "(&(objectClass=person)(cn=" + name + "))";',
                'return ldap.search("ou=people", f, (AttributesMapper<String>) a -> "x");',
            ],
            1,
        ),
        (['return ldap.search(query().filter("(uid=" + name + ")"), mapper);'], 0),
        (
            [
                'String f = "(mail=" + name + ")";',
                'ldap.authenticate("ou=people", f, pw);',
                "return List.of();",
            ],
            1,
        ),
        (['return ldap.search("ou=people", "cn=" + name, mapper);'], 0),
    ],
)
def test_request_data_in_an_ldap_filter(build, body, line):
    assert _ldap(build, body) == [("ldap-injection", FIRST + line)]


@pytest.mark.parametrize(
    "body",
    [
        ['return ldap.search(query().where("uid").is(name), mapper);'],
        ['return ldap.search(query().filter("(uid={0})", name), mapper);'],
        [
            'String f = "(uid=" + LdapEncoder.filterEncode(name) + ")";',
            'return ldap.search("ou=people", f, mapper);',
        ],
        ['return ldap.search("ou=people", new EqualsFilter("uid", name).encode(), mapper);'],
        ['ldap.authenticate(query().where("uid").is(name), pw);', "return List.of();"],
        ["return names.stream().filter(n -> n.startsWith(name)).toList();"],
    ],
)
def test_encoded_ldap_filter_is_quiet(build, body):
    assert _ldap(build, body) == []


def _trust_manager(server_body: list[str], client_body: str = "{}") -> list[str]:
    return [
        "class Tls {",
        "    SSLContext context() throws Exception {",
        "        TrustManager[] managers = {new X509TrustManager() {",
        f"            public void checkClientTrusted(X509Certificate[] c, String a) {client_body}",
        "            public void checkServerTrusted(X509Certificate[] c, String a)",
        "                    throws CertificateException {",
        *[f"                {line}" for line in server_body],
        "            }",
        "            public X509Certificate[] getAcceptedIssuers() { return null; }",
        "        }};",
        '        SSLContext ssl = SSLContext.getInstance("TLS");',
        "        ssl.init(null, managers, null);",
        "        return ssl;",
        "    }",
        "}",
    ]


@pytest.mark.parametrize(
    "server_body",
    [
        [],
        ['log.debug("accepting {}", c[0].getSubjectX500Principal());'],
        [
            "try {",
            "    delegate.checkServerTrusted(c, a);",
            "} catch (CertificateException e) {",
            '    log.warn("untrusted server certificate", e);',
            "}",
        ],
    ],
)
def test_server_check_that_never_throws_is_reported_once(build, server_body):
    findings = review(build, "src/main/java/app/Tls.java", _trust_manager(server_body))
    assert rule_lines(findings) == [("tls-verification-disabled", 5)]


@pytest.mark.parametrize(
    "server_body",
    [
        ["delegate.checkServerTrusted(c, a);"],
        [
            "if (!pinned.contains(fingerprint(c[0]))) {",
            '    throw new CertificateException("unknown server certificate");',
            "}",
        ],
        [
            "try {",
            "    delegate.checkServerTrusted(c, a);",
            "} catch (CertificateException e) {",
            '    log.warn("untrusted server certificate", e);',
            "    throw e;",
            "}",
        ],
    ],
)
def test_server_check_that_can_reject_is_quiet(build, server_body):
    # an empty checkClientTrusted is the client-side shape; it decides nothing about servers
    findings = review(build, "src/main/java/app/Tls.java", _trust_manager(server_body))
    assert rule_lines(findings) == []
