"""Changes that drift from their ticket: a different number, or a criterion left out."""

from __future__ import annotations

from ingestion.sandbox.scenarios import (
    CLEAN,
    DRIFT,
    ScenarioChange,
    ScenarioContext,
    TicketSpec,
)
from ingestion.sandbox.scenarios.diffs import FileChange, added_file, modified


def _revisions(
    ctx: ScenarioContext, drifted: tuple[FileChange, ...], aligned: tuple[FileChange, ...]
) -> tuple[tuple[tuple[FileChange, ...], ...], tuple[frozenset[str], ...]]:
    if ctx.rng.random() < 0.35:  # a second push brings the code in line with the ticket
        return (drifted, aligned), (DRIFT, CLEAN)
    return (drifted,), (DRIFT,)


def lockout_threshold(ctx: ScenarioContext) -> ScenarioChange:
    wanted = ctx.rng.choice([3, 5])
    coded = wanted * 2
    path = f"{ctx.py_root}/auth/lockout.py"

    def lockout(attempts: int) -> tuple[FileChange, ...]:
        return (
            added_file(
                path,
                [
                    "from datetime import timedelta",
                    "",
                    f"MAX_FAILED_ATTEMPTS = {attempts}",
                    "LOCKOUT_DURATION = timedelta(minutes=15)",
                    "LOCKED_STATUS = 423",
                    "",
                    "",
                    "def register_failure(account, now):",
                    "    account.failed_attempts += 1",
                    "    if account.failed_attempts >= MAX_FAILED_ATTEMPTS:",
                    "        account.locked_until = now + LOCKOUT_DURATION",
                    "    return account",
                ],
            ),
        )

    revisions, categories = _revisions(ctx, lockout(coded), lockout(wanted))
    ticket = TicketSpec(
        "Lock accounts after repeated failed logins",
        "Brute-force protection for password sign-in.",
        (
            f"After {wanted} failed login attempts the account is locked for 15 minutes",
            "A locked account returns HTTP 423",
        ),
    )
    return ScenarioChange(
        "drift_lockout_threshold",
        "python",
        "login-lockout",
        "Lock accounts after failed logins",
        "Implements the lockout described in the ticket.",
        ticket,
        revisions,
        categories,
    )


def reset_rate_limit_missing(ctx: ScenarioContext) -> ScenarioChange:
    path = f"{ctx.py_root}/auth/password_reset.py"
    base = [
        "from datetime import timedelta",
        "",
        "RESET_TOKEN_TTL = timedelta(minutes=30)",
        "",
        "",
        "def issue_reset(account, mailer, tokens, now):",
    ]
    send = [
        "    token = tokens.issue(account, expires_at=now + RESET_TOKEN_TTL)",
        "    mailer.send_reset(account.email, token)",
        "    return token",
    ]
    limited = [
        "    if mailer.count_sent(account.email, since=now - timedelta(hours=1)) >= 3:",
        "        return None",
    ]
    revisions, categories = _revisions(
        ctx, (added_file(path, base + send),), (added_file(path, base + limited + send),)
    )
    ticket = TicketSpec(
        "Password reset by email",
        "Users who forgot their password get a reset link.",
        (
            "Password reset links expire after 30 minutes",
            "At most 3 reset emails are sent per account per hour",
        ),
    )
    return ScenarioChange(
        "drift_missing_criterion",
        "python",
        "password-reset-email",
        "Password reset emails",
        "Sends a reset link that expires.",
        ticket,
        revisions,
        categories,
    )


def session_timeout(ctx: ScenarioContext) -> ScenarioChange:
    path = f"{ctx.py_root}/auth/config.py"

    def config(line: str) -> tuple[FileChange, ...]:
        return (
            modified(
                path,
                at=12,
                before=["# sessions"],
                removed=["SESSION_IDLE_TIMEOUT = None"],
                added=[line],
                after=["SESSION_COOKIE_SECURE = True"],
            ),
        )

    revisions, categories = _revisions(
        ctx,
        config("SESSION_IDLE_TIMEOUT = timedelta(hours=8)"),
        config("SESSION_IDLE_TIMEOUT = timedelta(minutes=30)"),
    )
    ticket = TicketSpec(
        "Idle sessions expire",
        "Shared machines in clinics stay signed in for too long.",
        ("Sessions expire after 30 minutes of inactivity",),
    )
    return ScenarioChange(
        "drift_session_timeout",
        "python",
        "idle-session-timeout",
        "Expire idle sessions",
        "Adds an idle timeout for sessions.",
        ticket,
        revisions,
        categories,
    )


def api_rate_limit(ctx: ScenarioContext) -> ScenarioChange:
    path = "src/middleware/rateLimit.js"

    def middleware(limit: int) -> tuple[FileChange, ...]:
        return (
            added_file(
                path,
                [
                    "const rateLimit = require('express-rate-limit');",
                    "",
                    "module.exports = rateLimit({",
                    "  windowMs: 60 * 1000,",
                    f"  max: {limit},",
                    "  keyGenerator: (req) => req.get('X-Api-Key'),",
                    "});",
                ],
            ),
        )

    revisions, categories = _revisions(ctx, middleware(1000), middleware(100))
    ticket = TicketSpec(
        "Rate limit API keys",
        "One customer's batch job slowed everyone down.",
        ("Each API key is limited to 100 requests per minute",),
    )
    return ScenarioChange(
        "drift_rate_limit",
        "javascript",
        "api-key-rate-limit",
        "Rate limit API keys",
        "Adds a per-key rate limit.",
        ticket,
        revisions,
        categories,
    )


SCENARIOS = {
    "drift_lockout_threshold": lockout_threshold,
    "drift_missing_criterion": reset_rate_limit_missing,
    "drift_session_timeout": session_timeout,
    "drift_rate_limit": api_rate_limit,
}
