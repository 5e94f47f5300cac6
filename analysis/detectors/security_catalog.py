"""The security rules: id, CWE, severity, why it matters and the concrete fix."""

from __future__ import annotations

from dataclasses import dataclass

from warden.records import Severity


@dataclass(frozen=True)
class SecurityRule:
    rule_id: str
    title: str
    cwe: str
    severity: Severity
    why: str
    fix: str


@dataclass(frozen=True)
class Hit:
    """A rule matched at `line`..`end_line` (1-based, in the scanned text's numbering)."""

    rule_id: str
    line: int
    end_line: int
    confidence: float
    detail: str


_RULES = (
    SecurityRule(
        "sql-injection",
        "SQL built from strings",
        "CWE-89",
        Severity.high,
        "Values interpolated into SQL text can rewrite the query (SQL injection).",
        'Pass values as bound parameters: cursor.execute("... WHERE id = %s", (user_id,)) '
        "or db.query('... WHERE id = ?', [id]); never format them into the SQL string.",
    ),
    SecurityRule(
        "shell-injection",
        "Shell command built from variables",
        "CWE-78",
        Severity.high,
        "A shell interprets metacharacters in the variable part, so input can run commands.",
        "Run the program without a shell and pass arguments as a list: "
        "subprocess.run([\"git\", \"log\", ref], check=True) / execFile('git', ['log', ref]).",
    ),
    SecurityRule(
        "code-injection",
        "Dynamic code evaluation",
        "CWE-95",
        Severity.high,
        "Evaluating a non-constant string executes whatever code reaches it.",
        "Parse data instead of executing it (json.loads, ast.literal_eval, JSON.parse) or "
        "dispatch through an explicit mapping of allowed operations.",
    ),
    SecurityRule(
        "unsafe-deserialization",
        "Unsafe deserialisation",
        "CWE-502",
        Severity.high,
        "Deserialising untrusted bytes with this API can construct arbitrary objects and run code.",
        "Use a data-only format: json, yaml.safe_load(...) or "
        "yaml.load(x, Loader=yaml.SafeLoader); never unpickle or unserialize data that "
        "crosses a trust boundary.",
    ),
    SecurityRule(
        "tls-verification-disabled",
        "TLS certificate verification disabled",
        "CWE-295",
        Severity.high,
        "Without certificate checks any network attacker can impersonate the server.",
        "Keep verification on; to trust a private CA pass its bundle "
        '(verify="/path/ca.pem", ca: fs.readFileSync(...)) instead of disabling checks.',
    ),
    SecurityRule(
        "weak-password-hash",
        "Password hashed with a fast, broken hash",
        "CWE-916",
        Severity.high,
        "MD5/SHA-1 password hashes are cracked at billions of guesses per second.",
        "Use a password hashing function with salt and work factor: argon2 / bcrypt / scrypt, "
        "or hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000).",
    ),
    SecurityRule(
        "weak-hash",
        "Weak hash algorithm",
        "CWE-328",
        Severity.low,
        "MD5/SHA-1 collisions are practical; do not rely on them for integrity or security.",
        "Use SHA-256 (hashlib.sha256 / createHash('sha256')); if this is a non-security "
        "checksum say so with hashlib.md5(..., usedforsecurity=False).",
    ),
    SecurityRule(
        "debug-mode-enabled",
        "Debug mode enabled",
        "CWE-489",
        Severity.medium,
        "Debug mode exposes stack traces, settings and often an interactive console.",
        "Read the flag from configuration that defaults to off "
        '(debug=os.environ.get("APP_DEBUG") == "1") and never enable it in deployed code.',
    ),
    SecurityRule(
        "permissive-cors",
        "CORS allows any origin",
        "CWE-942",
        Severity.medium,
        "Any website can read responses from this API in its visitors' browsers.",
        'List the allowed origins explicitly (origins=["https://app.example.com"], '
        "cors({ origin: ['https://app.example.com'] })).",
    ),
)

SECURITY_RULES: dict[str, SecurityRule] = {rule.rule_id: rule for rule in _RULES}
