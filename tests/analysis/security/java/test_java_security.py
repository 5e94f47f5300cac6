"""Java (Spring/Servlet/JDBC): annotated parameters and servlet getters reaching sinks;
hardening checks; PreparedStatement, secure cookies and hardened XML factories stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "@RestController",
    "public class ItemController {",
    '    @GetMapping("/items")',
    "    public String items(@RequestParam String name, HttpServletRequest request,",
    "                        HttpServletResponse response) throws Exception {",
]
CLOSE = ['        return "ok";', "    }", "}"]
FIRST = len(OPEN) + 1

POSITIVES = [
    (
        ['ResultSet rs = stmt.executeQuery("SELECT * FROM items WHERE name = \'" + name + "\'");'],
        "sql-injection",
    ),
    (
        [
            'String q = "FROM Item WHERE owner = \'" + request.getParameter("o") + "\'";',
            "em.createQuery(q).getResultList();",
        ],
        "sql-injection",
    ),
    (['Runtime.getRuntime().exec("convert " + request.getParameter("file"));'], "shell-injection"),
    (['new ProcessBuilder("sh", "-c", name).start();'], "shell-injection"),
    (['Object v = scriptEngine.eval(request.getParameter("expr"));'], "code-injection"),
    (
        ["Object o = new ObjectInputStream(request.getInputStream()).readObject();"],
        "unsafe-deserialization",
    ),
    (['response.getWriter().write("<h1>" + name + "</h1>");'], "xss"),
    (['File f = new File("/srv/uploads", request.getParameter("file"));'], "path-traversal"),
    (
        ['String body = restTemplate.getForObject(request.getParameter("url"), String.class);'],
        "ssrf",
    ),
    (['ctx.search("ou=people", "(uid=" + name + ")", controls);'], "ldap-injection"),
    (['Object n = xpath.evaluate("//item[@name=\'" + name + "\']", doc);'], "xpath-injection"),
    (['response.sendRedirect(request.getParameter("next"));'], "open-redirect"),
]

NEAR_MISSES = [
    [
        'PreparedStatement ps = conn.prepareStatement("SELECT * FROM items WHERE name = ?");',
        "ps.setString(1, name);",
    ],
    ['ResultSet rs = stmt.executeQuery("SELECT * FROM items");'],
    ['new ProcessBuilder("git", "status").start();'],
    ['response.getWriter().write("<h1>" + Encode.forHtml(name) + "</h1>");'],
    ['File f = new File("/srv/uploads", FilenameUtils.getName(name));'],
    ['String body = restTemplate.getForObject("https://api.example.com/i/" + name, String.class);'],
    ['response.sendRedirect("/items/" + name);'],
    [
        'int id = Integer.parseInt(request.getParameter("id"));',
        'stmt.executeQuery("SELECT * FROM t WHERE id = " + id);',
    ],
]


@pytest.mark.parametrize(("body", "rule_id"), POSITIVES)
def test_tainted_flow(build, body, rule_id):
    findings = review(build, "src/main/java/app/ItemController.java", OPEN + body + CLOSE)
    assert (rule_id, FIRST + len(body) - 1) in rule_lines(findings), rule_lines(findings)


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_near_miss(build, body):
    assert (
        rule_lines(review(build, "src/main/java/app/ItemController.java", OPEN + body + CLOSE))
        == []
    )


def test_flow_through_a_private_helper(build):
    code = [
        "class Repo {",
        "    private String byOwner(String owner) {",
        '        return "SELECT * FROM items WHERE owner = \'" + owner + "\'";',
        "    }",
        "    void find(HttpServletRequest request) throws Exception {",
        '        stmt.executeQuery(byOwner(request.getParameter("owner")));',
        "    }",
        "}",
    ]
    assert ("sql-injection", 6) in rule_lines(review(build, "src/main/java/app/Repo.java", code))


HARDENING = [
    ('MessageDigest md = MessageDigest.getInstance("MD5");', "weak-hash"),
    ('Cipher c = Cipher.getInstance("AES");', "ecb-mode"),
    ('Cipher c = Cipher.getInstance("DESede/CBC/PKCS5Padding");', "weak-cipher"),
    ("IvParameterSpec iv = new IvParameterSpec(new byte[16]);", "static-iv"),
    ("String token = Long.toHexString(new Random().nextLong());", "insecure-randomness"),
    ("Claims c = Jwts.parser().parseClaimsJwt(jwt).getBody();", "jwt-none-algorithm"),
    ("cookie.setHttpOnly(false);", "insecure-cookie"),
    ("DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();", "xxe"),
]
HARDENING_QUIET = [
    'MessageDigest md = MessageDigest.getInstance("SHA-256");',
    'Cipher c = Cipher.getInstance("AES/GCM/NoPadding");',
    "IvParameterSpec iv = new IvParameterSpec(randomIv);",
    "int delay = new Random().nextInt(100);",
    "cookie.setHttpOnly(true);",
]


@pytest.mark.parametrize(("line", "rule_id"), HARDENING)
def test_hardening(build, line, rule_id):
    code = ["class Sec {", "    void run() throws Exception {", "        " + line, "    }", "}"]
    assert (rule_id, 3) in rule_lines(review(build, "src/main/java/app/Sec.java", code))


@pytest.mark.parametrize("line", HARDENING_QUIET)
def test_hardening_quiet(build, line):
    code = ["class Sec {", "    void run() throws Exception {", "        " + line, "    }", "}"]
    assert rule_lines(review(build, "src/main/java/app/Sec.java", code)) == []


def test_hardened_xml_factory_is_quiet(build):
    code = [
        "class Xml {",
        "    Document parse(InputStream in) throws Exception {",
        "        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();",
        '        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);',
        "        return dbf.newDocumentBuilder().parse(in);",
        "    }",
        "}",
    ]
    assert rule_lines(review(build, "src/main/java/app/Xml.java", code)) == []


def test_trust_all_manager_and_session_cookie(build):
    code = [
        "class Tls implements X509TrustManager {",
        "    public void checkServerTrusted(X509Certificate[] chain, String authType) {}",
        "    void login(HttpServletResponse response, String id) {",
        '        Cookie session = new Cookie("SESSION", id);',
        "        session.setSecure(true);",
        "        response.addCookie(session);",
        "    }",
        "}",
    ]
    assert rule_lines(review(build, "src/main/java/app/Tls.java", code)) == [
        ("insecure-cookie", 4),
        ("tls-verification-disabled", 2),
    ]


def test_handler_missing_the_sibling_guard_and_permissive_cors(build):
    before = [
        "@RestController",
        '@CrossOrigin(origins = "https://app.example.com")',
        "class Admin {",
        '    @GetMapping("/a") @PreAuthorize("isAuthenticated()") String a() { return ""; }',
        '    @GetMapping("/b") @PreAuthorize("isAuthenticated()") String b() { return ""; }',
        "}",
    ]
    after = [*before[:5], '    @DeleteMapping("/c") String c() { return ""; }', before[5]]
    after[1] = '@CrossOrigin("*")'
    findings = review(build, "src/main/java/app/Admin.java", after, before)
    assert rule_lines(findings) == [("missing-auth-guard", 6), ("permissive-cors", 2)]
