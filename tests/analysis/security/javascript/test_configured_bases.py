"""Configuration (`process.env`) is not request data: a path built from a configured base
directory and a request value carries the request value; a URL whose origin is fixed by a
constant or configured base followed by `/` only lets the request pick the path (no SSRF,
no open redirect), while a base continued directly by request data does not fix the host."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "const fs = require('fs');",
    "const path = require('path');",
    "const UPLOADS = process.env.UPLOAD_DIR;",
    "const BILLING = process.env.BILLING_URL || 'https://billing.internal.example.com';",
    "const ACCOUNTS = 'https://accounts.example.com';",
    "",
    "router.get('/invoices/:id', async (req, res) => {",
]
AT = len(OPEN) + 1


def _rules(build, line: str) -> list[tuple[str, int]]:
    code = [*OPEN, f"  {line}", "});"]
    return rule_lines(review(build, "src/routes/invoices.js", code))


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("res.send(fs.readFileSync(path.join(UPLOADS, req.params.id)));", "path-traversal"),
        ("fs.createReadStream(`${UPLOADS}/${req.query.name}`).pipe(res);", "path-traversal"),
        ("await fetch(`${BILLING}${req.query.path}`);", "ssrf"),
        ("await fetch(BILLING + req.query.path);", "ssrf"),
        ("await fetch(`${req.query.host}/v2/invoices`);", "ssrf"),
        ("res.redirect(`${ACCOUNTS}${req.query.next}`);", "open-redirect"),
    ],
)
def test_request_data_next_to_configuration_is_reported(build, line, rule):
    assert _rules(build, line) == [(rule, AT)]


@pytest.mark.parametrize(
    "line",
    [
        "res.send(fs.readFileSync(path.join(UPLOADS, path.basename(req.params.id))));",
        "res.send(fs.readFileSync(path.join(UPLOADS, 'terms.pdf')));",
        "res.json(await (await fetch(`${BILLING}/v2/invoices/${req.params.id}`)).json());",
        "res.json(await (await fetch(BILLING + '/v2/invoices/' + req.params.id)).json());",
        "res.json(await (await fetch(`${ACCOUNTS}/people/${req.params.id}`)).json());",
        "res.redirect(`${ACCOUNTS}/signin?next=${encodeURIComponent(req.query.next)}`);",
        "res.redirect(`${BILLING}/invoices/${req.params.id}`);",
    ],
)
def test_configured_bases_and_fixed_origins_stay_quiet(build, line):
    assert _rules(build, line) == []
