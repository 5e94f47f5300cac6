"""Java: JWT parsers that accept unsecured (`alg: none`) tokens — JJWT 0.12 `unsecured()`,
the parse methods made for unsigned tokens, Nimbus `PlainJWT.parse` — are
`jwt-none-algorithm`, reported once; signed parsing and `unsecuredDecompression()` stay
quiet, and a keyless `parse` stays `jwt-verification-disabled`."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _verifier(*body: str, imports: str = "import io.jsonwebtoken.Jwts;") -> list[str]:
    return [
        "package app.auth;",
        imports,
        "",
        "public class SessionTokens {",
        *body,
        "}",
    ]


def _rules(build, lines: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "src/main/java/app/auth/SessionTokens.java", lines))


def test_unsecured_parser_field_is_reported_at_the_switch(build):
    code = _verifier(
        "    private final JwtParser parser = Jwts.parser()",
        "            .verifyWith(publicKey)",
        "            .unsecured()",
        "            .build();",
        "    Object subject(String token) {",
        "        return parser.parseUnsecuredClaims(token).getPayload().getSubject();",
        "    }",
    )
    assert _rules(build, code) == [("jwt-none-algorithm", 7)]


@pytest.mark.parametrize(
    ("line", "imports"),
    [
        ("Claims c = Jwts.parser().setSigningKey(k).parsePlaintextJwt(t).getBody();",
         "import io.jsonwebtoken.Jwts;"),
        ("JWTClaimsSet c = PlainJWT.parse(t).getJWTClaimsSet();",
         "import com.nimbusds.jwt.PlainJWT;"),
    ],
)  # fmt: skip
def test_parsing_unsigned_tokens_is_none_algorithm(build, line, imports):
    code = _verifier("    Object read(String t, Key k) throws Exception {", f"        {line}",
                     "        return c;", "    }", imports=imports)  # fmt: skip
    assert _rules(build, code) == [("jwt-none-algorithm", 6)]


@pytest.mark.parametrize(
    "chain",
    [
        "Jwts.parser().verifyWith(key).build().parseSignedClaims(t)",
        "Jwts.parser().verifyWith(key).unsecuredDecompression().build().parseSignedClaims(t)",
    ],
)
def test_signed_parsing_stays_quiet(build, chain):
    code = _verifier(
        "    Object read(String t, SecretKey key) {", f"        return {chain};", "    }"
    )
    assert _rules(build, code) == []


@pytest.mark.parametrize(
    ("chain", "rule_id"),
    [
        ("Jwts.parser().build().parse(t)", "jwt-verification-disabled"),
        ("Jwts.parser().unsecured().build().parse(t)", "jwt-none-algorithm"),
    ],
)
def test_keyless_parse_is_verification_disabled_unless_unsecured(build, chain, rule_id):
    code = _verifier("    Object read(String t) {", f"        return {chain};", "    }")
    assert _rules(build, code) == [(rule_id, 6)]
