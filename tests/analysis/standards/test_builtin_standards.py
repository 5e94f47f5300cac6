import pytest

from analysis.detectors.standards import StandardsReviewer, parse_standards

LAYERING = """```warden-standard
standard: layering
id: domain-is-pure
from: ["billing/domain/**"]
must-not-import: ["billing.web", "flask", "billing/web/**", "net/http"]
severity: high
```"""
GUARDS = """```warden-standard
standard: route-guards
applies-to: ["api/**"]
guards: [login_required, requireAuth, AuthMiddleware, PreAuthorize]
```"""
LOGGING = """```warden-standard
standard: sensitive-logging
fields: [ssn]
```"""
TODO = """```warden-standard
standard: todo-ticket
```"""


def _doc(build, *texts, title="Architecture"):
    sections = [(f"Part {i}", f"part-{i}", text) for i, text in enumerate(texts)]
    return build.document(title, sections)


def _review(build, files, *docs):
    return StandardsReviewer().review(build.context(files, documents=list(docs)), [])


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("billing/domain/invoice.py", "from billing.web import views"),
        ("billing/domain/invoice.py", "from ..web import views"),
        ("billing/domain/invoice.py", "import flask"),
        ("billing/domain/invoice.ts", "import { render } from '../web/render';"),
        ("billing/domain/invoice.js", "const web = require('../web');"),
        ("billing/domain/invoice.go", 'import "net/http"'),
        ("billing/domain/Invoice.java", "import billing.web.Controller;"),
    ],
)
def test_layering_flags_forbidden_imports_in_each_language(build, path, line):
    findings = _review(build, [build.file(path, ["", line])], _doc(build, LAYERING))
    assert [(f.rule_id, f.start_line, f.severity) for f in findings] == [
        ("standard:domain-is-pure", 2, "high")
    ]
    assert findings[0].evidence_source == "Architecture#part-0"


def test_layering_allows_other_imports_and_other_layers(build):
    allowed = build.file(
        "billing/domain/invoice.py", ["import decimal", "from billing import money"]
    )
    elsewhere = build.file("billing/web/views.py", ["import flask"])
    go_block = build.file(
        "billing/domain/tax.go", ["package domain", "import (", '    "fmt"', '    "strings"', ")"]
    )
    assert _review(build, [allowed, elsewhere, go_block], _doc(build, LAYERING)) == []


def test_layering_reads_go_import_blocks(build):
    go_block = build.file(
        "billing/domain/tax.go", ["package domain", "import (", '    "net/http"', ")"]
    )
    findings = _review(build, [go_block], _doc(build, LAYERING))
    assert [f.start_line for f in findings] == [3]


@pytest.mark.parametrize(
    ("path", "code", "flagged"),
    [
        ("api/users.py", ["@app.route('/users')", "def users():", "    return []"], [1]),
        (
            "api/users.py",
            ["@app.route('/users')", "@login_required", "def users():", "    return []"],
            [],
        ),
        ("api/users.js", ["router.get('/users', listUsers);"], [1]),
        ("api/users.js", ["router.get('/users', requireAuth, listUsers);"], []),
        ("api/users.js", ["router.use(requireAuth);", "router.get('/users', listUsers);"], []),
        ("api/users.go", ['r.HandleFunc("/users", listUsers)'], [1]),
        ("api/Users.java", ['@GetMapping("/users")', "public List<User> users() {"], [1]),
        (
            "api/Users.java",
            [
                "@PreAuthorize(\"hasRole('ADMIN')\")",
                '@GetMapping("/users")',
                "List<User> users() {",
            ],
            [],
        ),
        ("web/users.js", ["router.get('/users', listUsers);"], []),
    ],
)
def test_route_guards(build, path, code, flagged):
    findings = _review(build, [build.file(path, code)], _doc(build, GUARDS))
    assert [f.start_line for f in findings] == flagged


def test_route_guards_only_judge_added_routes(build):
    before = ["@app.route('/legacy')", "def legacy():", "    return 1"]
    after = [*before, "", "def helper():", "    return 2"]
    assert _review(build, [build.file("api/old.py", after, before)], _doc(build, GUARDS)) == []


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("    logger.info('login %s', user.password)", True),
        ("    log.debug(f'refreshed {access_token}')", True),
        ("    console.log(`ssn ${customer.ssn}`);", True),
        ("    logger.info('token refreshed for %s', user.id)", False),
        ("    logger.info('has token: %s', has_token)", False),
        ("    logger.info('token length %d', len(token))", False),
        ("    logger.info('masked %s', mask(token))", False),
        ("    print(password)", False),
    ],
)
def test_sensitive_logging(build, line, flagged):
    findings = _review(build, [build.file("svc/auth.py", ["def f():", line])], _doc(build, LOGGING))
    assert bool(findings) is flagged
    if flagged:
        assert findings[0].rule_id == "standard:sensitive-logging"


def test_sensitive_logging_takes_fields_from_the_threat_model(build):
    threat = build.document(
        "Threat model",
        [("Sensitive data", "sensitive-data", "- `iban` numbers of customers")],
        kind="threat_model",
    )
    code = ["def f(acct):", "    logger.info('paid %s', acct.iban)"]
    findings = _review(build, [build.file("svc/pay.py", code)], _doc(build, LOGGING), threat)
    assert [f.start_line for f in findings] == [2]


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("x = 1  # TODO handle retries", True),
        ("// FIXME: race", True),
        ("x = 1  # TODO(ENG-42): handle retries", False),
        ("todo_list = []", False),
        ("message = 'TODO'", False),
    ],
)
def test_todo_needs_a_ticket_key(build, line, flagged):
    findings = _review(build, [build.file("svc/a.py", [line])], _doc(build, TODO))
    assert bool(findings) is flagged
    if flagged:
        assert (
            findings[0].severity == "low" and findings[0].evidence_source == "Architecture#part-0"
        )


def test_invalid_builtin_blocks_become_notes(build):
    unknown = "```warden-standard\nstandard: naming\n```"
    typo = "```warden-standard\nstandard: layering\nfrom: ['a/**']\nmust-not-imports: [b]\n```"
    missing = "```warden-standard\nstandard: route-guards\n```"
    bad_glob = "```warden-standard\nstandard: todo-ticket\napplies-to: ['/abs/**']\n```"
    parsed = parse_standards([_doc(build, unknown, typo, missing, bad_glob, TODO)])
    assert len(parsed.builtins) == 1 and len(parsed.notes) == 4
    assert "unknown standard 'naming'" in parsed.notes[0]
    assert "must-not-imports" in parsed.notes[1] and "Architecture#part-1" in parsed.notes[1]
    assert "guards" in parsed.notes[2]
    assert "relative to the repository root" in parsed.notes[3]
