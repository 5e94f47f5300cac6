"""Python changes with a real vulnerability (and, on a second push, maybe its fix)."""

from __future__ import annotations

from ingestion.sandbox.scenarios import (
    SECURITY,
    ScenarioChange,
    ScenarioContext,
    TicketSpec,
    follow_up,
    lead_in,
)
from ingestion.sandbox.scenarios.diffs import FileChange, modified

# Obviously fake but format-valid credentials (AWS documents this example key pair).
FAKE_AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
FAKE_AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
FAKE_GITHUB_TOKEN = "ghp_sandboxFAKEtoken00000000000000000000"  # ghp_ + 36 chars


def _one_file_change(
    ctx: ScenarioContext,
    *,
    name: str,
    slug: str,
    title: str,
    body: str,
    ticket: TicketSpec,
    path: str,
    at: int,
    before: list[str],
    removed: list[str],
    vulnerable: list[str],
    fixed: list[str],
    after: list[str],
    fixable: bool = True,
) -> ScenarioChange:
    def build(is_fixed: bool, shift: int) -> tuple[FileChange, ...]:
        added = lead_in(shift) + (fixed if is_fixed else vulnerable)
        return (modified(path, at=at, before=before, removed=removed, added=added, after=after),)

    revisions, categories = follow_up(ctx.rng, build, SECURITY, fixable=fixable)
    return ScenarioChange(name, "python", slug, title, body, ticket, revisions, categories)


def sql_fstring(ctx: ScenarioContext) -> ScenarioChange:
    column = ctx.rng.choice(["email", "username", "external_id"])
    return _one_file_change(
        ctx,
        name="sql_injection_fstring",
        slug=f"user-lookup-by-{column.replace('_', '-')}",
        title=f"Look up users by {column.replace('_', ' ')}",
        body=f"Adds a repository method so support can find a user by {column}.",
        ticket=TicketSpec(
            f"Support can find a user by {column.replace('_', ' ')}",
            "Support staff need a quick lookup.",
            (f"Support can look up a user by exact {column.replace('_', ' ')}",),
        ),
        path=f"{ctx.py_root}/users/repository.py",
        at=41,
        before=["", "class UserRepository:", "    def __init__(self, connection):"],
        removed=[],
        vulnerable=[
            "        self.connection = connection",
            "",
            f"    def find_by_{column}(self, value):",
            "        cursor = self.connection.cursor()",
            f"        cursor.execute(f\"SELECT id, name FROM users WHERE {column} = '{{value}}'\")",
            "        return cursor.fetchone()",
        ],
        fixed=[
            "        self.connection = connection",
            "",
            f"    def find_by_{column}(self, value):",
            "        cursor = self.connection.cursor()",
            f'        cursor.execute("SELECT id, name FROM users WHERE {column} = %s", (value,))',
            "        return cursor.fetchone()",
        ],
        after=["", "    def count(self):"],
    )


def sql_concatenation(ctx: ScenarioContext) -> ScenarioChange:
    return _one_file_change(
        ctx,
        name="sql_injection_concat",
        slug="revoke-session-endpoint",
        title="Revoke a session by token",
        body="Lets a user sign out a single device.",
        ticket=TicketSpec(
            "Sign out a single device",
            "Users can end one session without touching the others.",
            ("A user can revoke one of their sessions by its token",),
        ),
        path=f"{ctx.py_root}/auth/sessions.py",
        at=18,
        before=["def revoke(connection, token):"],
        removed=["    raise NotImplementedError"],
        vulnerable=[
            "    cursor = connection.cursor()",
            '    query = "DELETE FROM sessions WHERE token = \'" + token + "\'"',
            "    cursor.execute(query)",
        ],
        fixed=[
            "    cursor = connection.cursor()",
            '    cursor.execute("DELETE FROM sessions WHERE token = %s", (token,))',
        ],
        after=["", ""],
    )


def shell_injection(ctx: ScenarioContext) -> ScenarioChange:
    use_os_system = ctx.rng.random() < 0.5
    vulnerable = (
        ['    os.system("convert " + filename + " -resize 128x128 " + target)']
        if use_os_system
        else ['    subprocess.run(f"tar czf {target} {filename}", shell=True, check=True)']
    )
    return _one_file_change(
        ctx,
        name="command_injection",
        slug="thumbnail-export",
        title="Export thumbnails for uploaded images",
        body="Shells out to the image tools we already ship in the container.",
        ticket=TicketSpec(
            "Thumbnail export",
            "Uploads get a small preview.",
            ("Every uploaded image gets a 128px thumbnail",),
        ),
        path=f"{ctx.py_root}/media/export.py",
        at=7,
        before=["import os", "import subprocess", "", "", "def export(filename, target):"],
        removed=["    pass"],
        vulnerable=vulnerable,
        fixed=['    subprocess.run(["tar", "czf", target, filename], check=True)'],
        after=["", ""],
    )


def eval_input(ctx: ScenarioContext) -> ScenarioChange:
    return _one_file_change(
        ctx,
        name="eval_user_input",
        slug="pricing-formula",
        title="Let finance enter pricing formulas",
        body="Finance wants to type a formula instead of waiting for a deploy.",
        ticket=TicketSpec(
            "Configurable pricing formula",
            "Finance edits pricing without a deploy.",
            ("Finance can change the discount formula from the admin page",),
        ),
        path=f"{ctx.py_root}/billing/pricing.py",
        at=30,
        before=["def discounted(price, request):"],
        removed=["    return price"],
        vulnerable=[
            '    formula = request.args["formula"]',
            "    return eval(formula, {'price': price})",
        ],
        fixed=[
            '    percent = float(request.args["percent"])',
            "    return price * (1 - percent / 100)",
        ],
        after=["", ""],
    )


def unsafe_deserialisation(ctx: ScenarioContext) -> ScenarioChange:
    use_yaml = ctx.rng.random() < 0.5
    vulnerable = ["    return yaml.load(blob)"] if use_yaml else ["    return pickle.loads(blob)"]
    fixed = ["    return yaml.safe_load(blob)"] if use_yaml else ["    return json.loads(blob)"]
    return _one_file_change(
        ctx,
        name="unsafe_deserialisation",
        slug="import-saved-filters",
        title="Import saved filters from an uploaded file",
        body="Users can move their saved filters between workspaces.",
        ticket=TicketSpec(
            "Import saved filters",
            "Filters exported from one workspace can be imported into another.",
            ("A user can import a filters file exported from another workspace",),
        ),
        path=f"{ctx.py_root}/filters/importer.py",
        at=4,
        before=["import json", "import pickle", "import yaml", "", "", "def load_filters(blob):"],
        removed=["    return []"],
        vulnerable=vulnerable,
        fixed=fixed,
        after=["", ""],
    )


def tls_verification_off(ctx: ScenarioContext) -> ScenarioChange:
    return _one_file_change(
        ctx,
        name="tls_verification_disabled",
        slug="partner-status-sync",
        title="Sync delivery status from the partner API",
        body="The partner's staging certificate is self-signed.",
        ticket=TicketSpec(
            "Partner delivery status",
            "Show the partner's delivery status on orders.",
            ("Order pages show the partner's latest delivery status",),
        ),
        path=f"{ctx.py_root}/partners/status.py",
        at=12,
        before=["def fetch_status(order_id):"],
        removed=["    return None"],
        vulnerable=[
            '    url = f"{PARTNER_URL}/deliveries/{order_id}"',
            "    return requests.get(url, verify=False, timeout=5).json()",
        ],
        fixed=[
            '    url = f"{PARTNER_URL}/deliveries/{order_id}"',
            "    return requests.get(url, timeout=5).json()",
        ],
        after=["", ""],
    )


def weak_password_hash(ctx: ScenarioContext) -> ScenarioChange:
    return _one_file_change(
        ctx,
        name="weak_password_hash",
        slug="store-password-hash",
        title="Store password hashes for local accounts",
        body="Local accounts for customers without SSO.",
        ticket=TicketSpec(
            "Local accounts",
            "Customers without SSO sign in with a password.",
            ("Passwords are never stored in plain text",),
        ),
        path=f"{ctx.py_root}/auth/passwords.py",
        at=9,
        before=["import hashlib", "", "", "def hash_password(password, salt):"],
        removed=["    raise NotImplementedError"],
        vulnerable=["    return hashlib.md5((salt + password).encode()).hexdigest()"],
        fixed=[
            "    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=2**14, r=8, p=1)",
            "    return digest.hex()",
        ],
        after=["", ""],
    )


def debug_mode(ctx: ScenarioContext) -> ScenarioChange:
    return _one_file_change(
        ctx,
        name="debug_enabled",
        slug="local-dev-server",
        title="Make the dev server easier to start",
        body="One command to run the API locally.",
        ticket=TicketSpec(
            "Simpler local start",
            "New joiners can run the API with one command.",
            ("The API starts locally with a single command",),
        ),
        path=f"{ctx.py_root}/app.py",
        at=50,
        before=["", 'if __name__ == "__main__":'],
        removed=["    app.run()"],
        vulnerable=['    app.run(host="0.0.0.0", debug=True)'],
        fixed=['    app.run(host="127.0.0.1")'],
        after=[],
    )


def cors_wildcard(ctx: ScenarioContext) -> ScenarioChange:
    return _one_file_change(
        ctx,
        name="cors_wildcard",
        slug="allow-dashboard-origin",
        title="Allow the new dashboard to call the API",
        body="The dashboard moved to its own domain.",
        ticket=TicketSpec(
            "Dashboard on its own domain",
            "The dashboard is served from dashboard.example.com.",
            ("The dashboard at dashboard.example.com can call the API",),
        ),
        path=f"{ctx.py_root}/http/cors.py",
        at=3,
        before=["def add_cors_headers(response):"],
        removed=["    return response"],
        vulnerable=[
            '    response.headers["Access-Control-Allow-Origin"] = "*"',
            '    response.headers["Access-Control-Allow-Credentials"] = "true"',
            "    return response",
        ],
        fixed=[
            '    response.headers["Access-Control-Allow-Origin"] = "https://dashboard.example.com"',
            "    return response",
        ],
        after=[],
    )


def hardcoded_credentials(ctx: ScenarioContext) -> ScenarioChange:
    aws = ctx.rng.random() < 0.5
    vulnerable = (
        [
            f'AWS_ACCESS_KEY_ID = "{FAKE_AWS_ACCESS_KEY_ID}"',
            f'AWS_SECRET_ACCESS_KEY = "{FAKE_AWS_SECRET_ACCESS_KEY}"',
        ]
        if aws
        else [f'GITHUB_TOKEN = "{FAKE_GITHUB_TOKEN}"']
    )
    fixed = (
        [
            'AWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]',
            'AWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]',
        ]
        if aws
        else ['GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]']
    )
    return _one_file_change(
        ctx,
        name="hardcoded_secret",
        slug="nightly-backup-upload" if aws else "release-notes-bot",
        title="Upload nightly backups" if aws else "Post release notes automatically",
        body="Wires up the credentials for the job.",
        ticket=TicketSpec(
            "Nightly backups" if aws else "Release notes bot",
            "Automate a manual chore.",
            ("The job runs every night without manual steps",),
        ),
        path=f"{ctx.py_root}/jobs/settings.py",
        at=1,
        before=["import os", ""],
        removed=[],
        vulnerable=vulnerable,
        fixed=fixed,
        after=["", 'REGION = "eu-west-1"'],
    )


SCENARIOS = {
    "sql_injection_fstring": sql_fstring,
    "sql_injection_concat": sql_concatenation,
    "command_injection": shell_injection,
    "eval_user_input": eval_input,
    "unsafe_deserialisation": unsafe_deserialisation,
    "tls_verification_disabled": tls_verification_off,
    "weak_password_hash": weak_password_hash,
    "debug_enabled": debug_mode,
    "cors_wildcard": cors_wildcard,
    "hardcoded_secret": hardcoded_credentials,
}
