"""Java: session cookies from Spring's ResponseCookie builder, the JAX-RS NewCookie builder
and Set-Cookie header text without HttpOnly/Secure. Hardened session cookies, theme and locale
cookies, CSRF cookies readable by scripts and `cookie.toString()` headers stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _login(*body: str) -> list[str]:
    """A Spring controller method; the body starts on line 5."""
    return [
        "package app;",
        "public class SessionController {",
        '    @PostMapping("/login")',
        "    public ResponseEntity<Void> login(@RequestBody LoginRequest body) {",
        *body,
        "    }",
        "}",
    ]


FLAGGED = [
    # explicit weakening, reported on its own line
    (['        ResponseCookie cookie = ResponseCookie.from("SESSION", session.token())',
      "                .httpOnly(false)", "                .secure(false)",
      '                .path("/")', "                .build();"], 6),
    (['        ResponseCookie c = ResponseCookie.from("prefs", jwt).httpOnly(true)',
      "                .secure(false).build();"], 6),
    # neither flag: the builder defaults to both off
    (['        ResponseCookie c = ResponseCookie.from("auth_token", token).path("/").build();'], 5),
    (['        NewCookie c = new NewCookie.Builder("session").value(id).path("/").build();'], 5),
    # a Set-Cookie header written as text
    (['        response.addHeader("Set-Cookie", "SID=" + sid + "; Path=/; HttpOnly");'], 5),
    (['        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE,',
      '                "remember_me=" + token + "; Max-Age=2592000").build();'], 5),
]  # fmt: skip

QUIET = [
    ['        ResponseCookie cookie = ResponseCookie.from("SESSION", session.token())',
     "                .httpOnly(true)", "                .secure(true)",
     '                .sameSite("Lax")', "                .build();"],
    # a preference cookie the front end reads on purpose
    ['        ResponseCookie c = ResponseCookie.from("theme", body.theme()).httpOnly(false)',
     "                .secure(false).build();"],
    ['        ResponseCookie c = ResponseCookie.from("locale", "de-CH").path("/").build();'],
    # the CSRF token cookie is meant to be read by the SPA; it is still Secure
    ['        ResponseCookie c = ResponseCookie.from("XSRF-TOKEN", csrf).httpOnly(false)',
     "                .secure(true).build();"],
    # the header carries a builder's rendering, checked where it is built
    ['    return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString()).build();'],
    ['        response.addHeader("Set-Cookie", "SID=" + sid + "; Path=/; Secure; HttpOnly");'],
    ['        response.addHeader("Set-Cookie", "lang=" + lang + "; Path=/");'],
    # flags set from configuration are not a literal weakening
    ['        ResponseCookie c = ResponseCookie.from("SESSION", id).httpOnly(true)',
     "                .secure(props.secureCookies()).build();"],
]  # fmt: skip


@pytest.mark.parametrize(("body", "line"), FLAGGED)
def test_weak_session_cookie(build, body, line):
    findings = review(build, "src/SessionController.java", _login(*body))
    assert rule_lines(findings) == [("insecure-cookie", line)]


@pytest.mark.parametrize("body", QUIET)
def test_cookie_near_misses(build, body):
    assert rule_lines(review(build, "src/SessionController.java", _login(*body))) == []
