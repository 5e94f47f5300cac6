"""Java: shells fed built scripts, SpEL/FreeMarker fed request text, concatenated JNDI and
XPath queries, Jackson default typing, auth0 decode, CORS patterns, JDBC passwords, cleartext
URIs, permissions, temp files, Random tokens, ReDoS, stack traces, request bodies saved
whole, HTML from REST handlers, XML entities switched on; each with a near miss that stays
quiet. Also: numbers derived from request data and lookups in literal tables are not text."""

import pytest

from tests.analysis.security.review import review, rule_lines


def method(*body: str, params: str = "String arg", annotations: str = "") -> list[str]:
    """A class with one method; the body starts on line 4."""
    return [
        "public class Box {",
        f"    {annotations}",
        f"    public Object run({params}) throws Exception {{",
        *body,
        "    }",
        "}",
    ]


FLAGGED = [
    (method('Runtime.getRuntime().exec(new String[] {"sh", "-c", "tar xf " + arg});'),
     "shell-injection"),
    (["import org.springframework.expression.ExpressionParser;",
      *method("return spel.parseExpression(formula).getValue();",
              params="@RequestParam String formula")], "code-injection"),
    (["import freemarker.template.Template;",
      *method('Template t = new Template("n", new StringReader(src), cfg);',
              params="@RequestBody String src")], "template-injection"),
    (method('String q = "(&(mail=" + arg + ")(active=TRUE))";',
            'ctx.search("dc=corp", q, controls);'), "ldap-injection"),
    (["import javax.xml.xpath.XPath;",
      *method('XPathExpression e = xp.compile("/orders/order[@ref=\'" + arg + "\']");')],
     "xpath-injection"),
    (method("om.enableDefaultTyping();"), "unsafe-deserialization"),
    (method("DecodedJWT jwt = JWT.decode(arg);"), "jwt-verification-disabled"),
    (method('cors.allowedOriginPatterns("*");'), "permissive-cors"),
    (method('Connection c = DriverManager.getConnection(url, "svc", "hunter2-prod");'),
     "hardcoded-credential"),
    (method('URL u = new URL("http://feeds.partner.example/export");'), "cleartext-transport"),
    (method('Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));'),
     "insecure-permissions"),
    (method('FileOutputStream s = new FileOutputStream("/tmp/session-cache.bin");'),
     "insecure-temp-file"),
    (method('return Pattern.compile("^(\\\\w+\\\\s?)*$").matcher(arg).matches();'), "redos"),
    (method('f.setProperty(XMLInputFactory.SUPPORT_DTD, true);'), "xxe"),
]  # fmt: skip

QUIET = [
    method('new ProcessBuilder("tar", "xf", arg).start();'),
    method('new ProcessBuilder("sh", "-c", "tar xf /srv/in.tar").start();'),
    ["import org.springframework.expression.ExpressionParser;",
     *method('return spel.parseExpression("price * 2").getValue(item);',
             params="@RequestParam String formula")],
    ["import freemarker.template.Template;",
     *method('Template t = cfg.getTemplate("mail.ftl");', params="@RequestBody String src")],
    method('String q = "(&(mail=" + LdapEncoder.filterEncode(arg) + ")(active=TRUE))";',
           'ctx.search("dc=corp", q, controls);'),
    method('ctx.search("dc=corp", "(mail={0})", new Object[] {arg}, controls);'),
    ["import javax.xml.xpath.XPath;",
     *method('XPathExpression e = xp.compile("/orders/order[@ref=$ref]");')],
    method("om.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().build());"),
    method("DecodedJWT jwt = JWT.require(alg).build().verify(arg);",
           "DecodedJWT again = JWT.decode(arg);"),
    method('cors.allowedOriginPatterns("https://*.corp.example");'),
    method('Connection c = DriverManager.getConnection(url, user, secrets.get("db"));'),
    method('URL u = new URL("https://feeds.partner.example/export");',
           'URI local = URI.create("http://localhost:8080/health");'),
    method('Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));'),
    method('File f = File.createTempFile("session", ".bin");'),
    method('return Pattern.compile("^\\\\w+(\\\\s\\\\w+)*$").matcher(arg).matches();'),
    method('f.setProperty(XMLInputFactory.SUPPORT_DTD, false);',
           "XMLInputFactory g = XMLInputFactory.newInstance();"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "rule_id"), FLAGGED)
def test_flagged(build, code, rule_id):
    found = rule_lines(review(build, "src/main/java/Box.java", code))
    assert rule_id in {rule for rule, _ in found}, found


@pytest.mark.parametrize("code", QUIET)
def test_quiet(build, code):
    assert rule_lines(review(build, "src/main/java/Box.java", code)) == []


def test_random_draws_for_a_token(build):
    def source(name: str) -> list[str]:
        return [
            "public class Codes {",
            "    private final Random rnd = new Random();",
            f"    public int {name}() {{",
            "        return rnd.nextInt(1000000);",
            "    }",
            "}",
        ]

    assert rule_lines(review(build, "src/Codes.java", source("otpCode"))) == [
        ("insecure-randomness", 4)
    ]
    assert rule_lines(review(build, "src/Codes.java", source("pickShard"))) == []


def test_stack_trace_in_the_response_body(build):
    head = ["public class Advice {", "    public ResponseEntity<String> on(Exception ex) {"]
    leaking = [
        *head,
        "        StringWriter sw = new StringWriter();",
        "        ex.printStackTrace(new PrintWriter(sw));",
        "        return ResponseEntity.badRequest().body(sw.toString());",
        "    }",
        "}",
    ]
    assert rule_lines(review(build, "src/Advice.java", leaking)) == [("information-leak", 5)]
    logged = [
        *head,
        "        StringWriter sw = new StringWriter();",
        "        ex.printStackTrace(new PrintWriter(sw));",
        "        log.error(sw.toString());",
        '        return ResponseEntity.badRequest().body("failed");',
        "    }",
        "}",
    ]
    assert rule_lines(review(build, "src/Advice.java", logged)) == []


def test_request_body_saved_whole(build):
    def source(body: str) -> list[str]:
        return [
            "public class Accounts {",
            '    @PostMapping("/accounts")',
            "    public Account create(@RequestBody Account account, @RequestBody Form form) {",
            f"        {body}",
            "    }",
            "}",
        ]

    whole = source("return repo.saveAndFlush(account);")
    assert rule_lines(review(build, "src/Accounts.java", whole)) == [("mass-assignment", 4)]
    mapped = source("return repo.save(mapper.toAccount(form));")
    assert rule_lines(review(build, "src/Accounts.java", mapped)) == []


def test_html_returned_by_a_rest_handler(build):
    def source(produces: str, value: str) -> list[str]:
        return [
            "public class Greeting {",
            f'    @GetMapping(value = "/hi", produces = "{produces}")',
            "    public String hi(@RequestParam String who) {",
            f"        return {value};",
            "    }",
            "}",
        ]

    html = source("text/html", '"<h2>Hello " + who + "</h2>"')
    assert rule_lines(review(build, "src/Greeting.java", html)) == [("xss", 4)]
    escaped = source("text/html", '"<h2>Hello " + HtmlUtils.htmlEscape(who) + "</h2>"')
    assert rule_lines(review(build, "src/Greeting.java", escaped)) == []
    json = source("application/json", '"<h2>Hello " + who + "</h2>"')
    assert rule_lines(review(build, "src/Greeting.java", json)) == []


def test_numbers_and_literal_tables_carry_no_text(build):
    servlet = [
        "public class Stats extends HttpServlet {",
        '    private static final Map<String, String> FIELDS = Map.of("a", "age", "n", "name");',
        "    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {",
        '        String[] parts = req.getParameter("ids").split(",");',
        "        resp.getWriter().println(parts.length + parts[0].length());",
        '        String col = FIELDS.getOrDefault(req.getParameter("f"), "age");',
        '        stmt.executeQuery("SELECT " + col + " FROM people");',
        "    }",
        "}",
    ]
    assert rule_lines(review(build, "src/Stats.java", servlet)) == []
    unlisted = [*servlet[:5], '        String col = req.getParameter("f");', *servlet[6:]]
    assert rule_lines(review(build, "src/Stats.java", unlisted)) == [("sql-injection", 7)]


def test_one_finding_per_weakened_cookie(build):
    code = [
        "public class Prefs {",
        "    public void set(HttpServletResponse res, String v) {",
        '        Cookie c = new Cookie("auth_token", v);',
        "        c.setSecure(false);",
        "        c.setHttpOnly(false);",
        "        res.addCookie(c);",
        "    }",
        "}",
    ]
    assert rule_lines(review(build, "src/Prefs.java", code)) == [("insecure-cookie", 4)]
