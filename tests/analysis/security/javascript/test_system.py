"""JavaScript platform checks: permissions, temp files, cleartext HTTP, literal passwords,
debug error pages, LDAP and XPath queries; each with a near miss that stays quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

CASES = [
    # (rule, vulnerable code, line, near miss)
    (
        "insecure-permissions",
        ["const fs = require('fs');", "fs.mkdirSync(uploads, { recursive: true, mode: 0o776 });"],
        2,
        ["const fs = require('fs');", "fs.mkdirSync(uploads, { recursive: true, mode: 0o750 });"],
    ),
    (
        "insecure-permissions",
        ["await fs.promises.chmod(socketPath, '666');"],
        1,
        ["await fs.promises.chmod(socketPath, 0o600);"],
    ),
    (
        "insecure-temp-file",
        ["const out = `/tmp/report-${jobId}.json`;", "fs.writeFileSync(out, body);"],
        1,
        [
            "const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rep-'));",
            "fs.writeFileSync(path.join(dir, 'report.json'), body);",
        ],
    ),
    (
        "cleartext-transport",
        ["const res = await got.post('http://ledger.acme-bank.net/api/transfer', { json });"],
        1,
        ["const res = await got.post('http://ledger-svc:8080/api/transfer', { json });"],
    ),
    (
        "cleartext-transport",
        ["const INVENTORY = 'http://inventory.vendor.io/stock';", "await fetch(INVENTORY);"],
        2,
        ["const INVENTORY = 'https://inventory.vendor.io/stock';", "await fetch(INVENTORY);"],
    ),
    (
        "hardcoded-credential",
        ["const smtp = mailer.createTransport({ auth: { user: 'ops', password: 'h7#Kq2&wZp' } });"],
        1,
        ["const smtp = mailer.createTransport({ auth: { user: 'ops', password: env.SMTP_PW } });"],
    ),
    (
        "debug-mode-enabled",
        ["server.use(errorHandler({ dumpExceptions: true }));"],
        1,
        ["if (config.isDev) {", "  server.use(errorHandler());", "}"],
    ),
    (
        "ldap-injection",
        [
            "function group(req) {",
            "  const memberFilter = '(memberUid=' + req.query.user + ')';",
            "  return directory.search(BASE, { filter: memberFilter });",
            "}",
        ],
        2,
        [
            "function group(req) {",
            "  const memberFilter = `(memberUid=${ldapEscape.filter(req.query.user)})`;",
            "  return directory.search(BASE, { filter: memberFilter });",
            "}",
        ],
    ),
    (
        "xpath-injection",
        [
            "function price(req) {",
            "  const expr = `//item[@id='${req.params.id}']/cost`;",
            "  return doc.evaluate(expr, doc, null, 2, null);",
            "}",
        ],
        3,
        [
            "function price(req) {",
            "  const expr = `//item[@id='${Number(req.params.id)}']/cost`;",
            "  return doc.evaluate(expr, doc, null, 2, null);",
            "}",
        ],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rule_id", "code", "line", "near_miss"), CASES)
def test_platform_rule_and_its_near_miss(build, rule_id, code, line, near_miss):
    assert (rule_id, line) in rule_lines(review(build, "src/platform.js", code))
    assert rule_lines(review(build, "src/platform.js", near_miss)) == []


@pytest.mark.parametrize(
    "literal", ["'Password:'", "'Enter your password'", "'changeme123!'", "'${PW}'", "'short'"]
)
def test_password_labels_and_placeholders_are_not_credentials(build, literal):
    code = [f"const labels = {{ password: {literal} }};"]
    assert rule_lines(review(build, "src/labels.js", code)) == []


def test_decimal_mode_is_read_as_decimal(build):
    # 420 decimal is 0o644: readable, not world-writable
    assert rule_lines(review(build, "src/p.js", ["fs.chmodSync(file, 420);"])) == []
    assert rule_lines(review(build, "src/p.js", ["fs.chmodSync(file, 511);"])) == [
        ("insecure-permissions", 1)
    ]
