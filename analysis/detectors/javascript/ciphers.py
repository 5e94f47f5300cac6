"""node:crypto cipher checks: a broken algorithm (DES, RC4 ...), ECB mode and a constant IV.

A broken algorithm is reported at every cipher or decipher that uses it. ECB and a constant
IV/nonce are faults of how ciphertext is *produced* (equal blocks stay equal; a reused nonce
leaks plaintext and, with GCM, the authentication key), so they are reported on the call that
encrypts (`createCipheriv`). The matching `createDecipheriv` only mirrors it and stays quiet;
it is reported when the file encrypts nowhere with the same mode or IV (decryption alone is
then the evidence). The algorithm and the IV may be named constants of the file
(`const ALGORITHM = 'aes-256-ecb'`, `const NONCE = Buffer.alloc(12, 0)`); the finding stays
on the call and its detail names the constant and the line that declares it.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.javascript.declarations import definition
from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.parsers import walk as walk_tree
from analysis.detectors.treesitter.taint import TaintWalk

_WEAK_CIPHER = re.compile(r"(?i)^(?:des|des-|des3|3des|rc2|rc4|bf|blowfish|cast|idea|seed)")
_ECB = re.compile(r"(?i)-ecb$")
_CONSTANT_BYTES = re.compile(r"^Buffer\.(?:alloc|from)$")
_ENCRYPT = frozenset({"createCipheriv", "createCipher"})
_DECRYPT = frozenset({"createDecipheriv", "createDecipher"})
_WITH_IV = frozenset({"createCipheriv", "createDecipheriv"})
_ENCRYPTIONS = "javascript.cipher_encryptions"


def cipher_hits(call: Node, method: str, walk: TaintWalk) -> list[Hit]:
    if method not in _ENCRYPT and method not in _DECRYPT:
        return []
    args = arguments(call)
    if not args:
        return []
    algorithm, named = _algorithm(args[0], walk)
    if algorithm is None:
        return []
    hits: list[Hit] = []
    encrypts = method in _ENCRYPT
    if _WEAK_CIPHER.match(algorithm):
        hits.append(walk.hit("weak-cipher", call, 0.9, f"cipher '{algorithm}'{named}"))
    elif _ECB.search(algorithm) and (encrypts or ("ecb", _mode(algorithm)) not in _mirrored(walk)):
        hits.append(walk.hit("ecb-mode", call, 0.9, f"cipher '{algorithm}'{named}"))
    iv = args[2] if len(args) >= 3 else None
    if method not in _WITH_IV or iv is None or iv.type in ("null", "undefined"):
        return hits  # ECB takes no IV; createCipher derives one
    if not _is_constant_bytes(iv, walk):
        return hits
    if encrypts or ("iv", _key(iv)) not in _mirrored(walk):
        hits.append(walk.hit("static-iv", call, 0.8, _iv_detail(iv, walk)))
    return hits


def _algorithm(node: Node, walk: TaintWalk) -> tuple[str | None, str]:
    """The algorithm name, and ` (NAME, line N)` when it comes from a constant of the file."""
    value = _string(node)
    if value is not None:
        return value, ""
    if node.type != "identifier":
        return None, ""
    declared = definition(node, walk)
    value = _string(declared) if declared is not None and _is_const(declared) else None
    if value is None or declared is None:
        return None, ""
    return value, f" ({text(node)}, line {walk.line(declared)})"


def _is_const(value: Node) -> bool:
    """`value` is bound by `const` (a `let` may be reassigned before the call)."""
    declaration = value.parent.parent if value.parent is not None else None
    kind = declaration.child_by_field_name("kind") if declaration is not None else None
    return kind is not None and text(kind) == "const"


def _iv_detail(iv: Node, walk: TaintWalk) -> str:
    declared = definition(iv, walk) if iv.type == "identifier" else None
    if declared is None:
        return "IV is a constant"
    return f"IV is the constant {text(iv)} declared on line {walk.line(declared)}"


def _mirrored(walk: TaintWalk) -> set[tuple[str, str]]:
    """(what, key) of every ECB algorithm and IV expression an encrypting call of the file
    uses (collected once per walk): a decipher with the same one only mirrors it."""
    found = walk.notes.get(_ENCRYPTIONS)
    if found is None:
        found = set()
        for node in walk_tree(walk.parsed.root):
            if node.type != "call_expression":
                continue
            if callee_name(node).rsplit(".", 1)[-1] not in _ENCRYPT:
                continue
            args = arguments(node)
            algorithm = _algorithm(args[0], walk)[0] if args else None
            if algorithm is not None and _ECB.search(algorithm):
                found.add(("ecb", _mode(algorithm)))
            if len(args) >= 3:
                found.add(("iv", _key(args[2])))
        walk.notes[_ENCRYPTIONS] = found  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def _mode(algorithm: str) -> str:
    return algorithm.lower()


def _key(iv: Node) -> str:
    return re.sub(r"\s+", "", text(iv))


def _string(node: Node) -> str | None:
    plain = all(c.type != "template_substitution" for c in node.named_children)
    if plain and node.type in ("string", "template_string"):
        return text(node)[1:-1]
    return None


def _is_constant_bytes(node: Node, walk: TaintWalk) -> bool:
    if walk.fact(node).constant:
        return True
    target = node
    if node.type == "identifier":
        target = definition(node, walk) or node
    if target.type == "call_expression" and _CONSTANT_BYTES.match(callee_name(target)):
        return all(walk.fact(a).constant for a in arguments(target))
    return False
