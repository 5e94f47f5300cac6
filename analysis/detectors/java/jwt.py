"""JWTs accepted without a signature (CWE-347).

`jwt-none-algorithm`: the code accepts unsecured (`alg: none`) tokens, whose claims anyone
can write:
- JJWT 0.12 `Jwts.parser().unsecured()`: the parser then accepts unsecured JWTs (they are
  rejected by default); reported at `unsecured()`, the switch to remove;
- JJWT's parse methods made for unsecured tokens only: `parseClaimsJwt` /
  `parsePlaintextJwt` (before 0.12), `parseUnsecuredClaims` / `parseUnsecuredContent`
  (0.12) — reported when no `unsecured()` call of the file already carries the finding;
- Nimbus `PlainJWT.parse(token)`: an unsecured JWT's claims are trusted;
- auth0 `Algorithm.none()` and JJWT's `SignatureAlgorithm.NONE`.

`jwt-verification-disabled`: a JJWT parser built without a key (`Jwts.parser().parse(t)`
with no `verifyWith` / `setSigningKey` in the chain); not when `unsecured()` is in the chain,
which is reported as the more specific `jwt-none-algorithm`.
"""

from __future__ import annotations

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.taint import TaintWalk

_UNSECURED_PARSES = frozenset(
    {"parseClaimsJwt", "parsePlaintextJwt", "parseUnsecuredClaims", "parseUnsecuredContent"}
)
_NONE_ALGORITHMS = frozenset({"Algorithm.none", "SignatureAlgorithm.NONE"})


def unsigned_jwt(
    walk: TaintWalk, call: Node, name: str, qualified: str, args: list[Node]
) -> list[Hit]:
    source = walk.parsed.source
    jjwt = b"io.jsonwebtoken" in source or "Jwts." in qualified
    anchor = call.child_by_field_name("name") or call
    if name == "unsecured" and not args and jjwt:
        detail = "the JJWT parser accepts unsecured (alg none) tokens"
        return [walk.hit("jwt-none-algorithm", anchor, 0.85, detail)]
    if name in _UNSECURED_PARSES and jjwt and b".unsecured()" not in source:
        detail = f"{name} accepts only unsigned (alg none) tokens"
        return [walk.hit("jwt-none-algorithm", anchor, 0.85, detail)]
    if qualified == "PlainJWT.parse":
        detail = "an unsecured (alg none) Nimbus PlainJWT is parsed and trusted"
        return [walk.hit("jwt-none-algorithm", call, 0.85, detail)]
    if qualified in _NONE_ALGORITHMS:
        return [walk.hit("jwt-none-algorithm", call, 0.9, "JWT algorithm none")]
    keyless = not any(k in qualified for k in ("SigningKey", "verifyWith", "unsecured()"))
    if name == "parse" and "Jwts.parser()" in qualified and keyless:
        return [walk.hit("jwt-verification-disabled", call, 0.8, "JWT parsed without a key")]
    return []
