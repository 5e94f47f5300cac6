"""Reused nonces: one nonce variable used for several encryptions under the same key.

Reported when an AEAD `encrypt(nonce, data, aad)` (cryptography) or PyNaCl
`box.encrypt(message, nonce)` uses a nonce that was set before a loop and is not changed in
it (comprehensions are loops too), or when two such calls in a row use the same nonce with
no new value in between. In a loop, PyCryptodome `X.new(..., nonce=n)` and cryptography
`modes.GCM(n)` count too when the loop encrypts. A nonce assigned (or advanced) inside the
loop is fresh for each message; encrypting the very same message again (a retry) under the
same nonce leaks nothing and is not reported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from analysis.detectors.python.callsite import PyHit

Qualname = Callable[[ast.AST], str]

_AEAD_MODULE = "cryptography.hazmat.primitives.ciphers.aead"
_NACL_MODULE = "nacl"
_PYCRYPTODOME = ("Crypto.Cipher.", "Cryptodome.Cipher.")
_MODES = "cryptography.hazmat.primitives.ciphers.modes."
_ENCRYPTING = frozenset({"encrypt", "encrypt_and_digest", "encryptor"})
_READ_ONLY = _ENCRYPTING | {"hex", "decode"}
_MESSAGE_CALLS = frozenset({"encrypt", "encrypt_and_digest", "update"})
_ADVANCING = ("incr", "advance", "next", "bump", "increment")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (
    ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp
)  # fmt: skip
_AEAD_ARITY = 3
_BOX_ARITY = 2


def reused_nonce_hits(tree: ast.Module, qualname: Qualname) -> list[PyHit]:
    modules = _imported_modules(tree)
    aead = any(m.startswith(_AEAD_MODULE) for m in modules)
    nacl = any(m.split(".")[0] == _NACL_MODULE for m in modules)
    if not (aead or nacl or any(m.startswith(("Crypto", "cryptography")) for m in modules)):
        return []
    finder = _Uses(qualname, aead, nacl)
    hits: list[PyHit] = []
    for scope in _scopes(tree):
        _in_sequence(scope.body, finder, hits)  # type: ignore[attr-defined]
        for node in _own_nodes(scope):
            if isinstance(node, _LOOPS):
                _in_loop(node, finder, hits)
    return hits


class _Uses:
    def __init__(self, qualname: Qualname, aead: bool, nacl: bool) -> None:
        self.qualname = qualname
        self.aead = aead
        self.nacl = nacl

    def encryptions(self, node: ast.AST, *, in_loop: bool) -> Iterator[tuple[ast.Call, str]]:
        """(call, nonce variable) for each encryption inside `node`."""
        for call in _own_calls(node):
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            arity = len(call.args) + len(call.keywords)
            if func.attr == "encrypt" and self.aead and arity == _AEAD_ARITY:
                yield from _named(call, _argument(call, 0, "nonce"))
            elif func.attr == "encrypt" and self.nacl and arity == _BOX_ARITY:
                yield from _named(call, _argument(call, 1, "nonce"))
            elif in_loop:
                name = self.qualname(func)
                if name.startswith(_PYCRYPTODOME) and func.attr == "new":
                    nonce = _argument(call, -1, "nonce") or _argument(call, 2, "iv")
                    yield from _named(call, nonce)
                elif name.startswith(_MODES) and func.attr in ("GCM", "CBC", "CTR"):
                    yield from _named(call, _argument(call, 0, "initialization_vector"))


def _in_loop(loop: ast.AST, finder: _Uses, hits: list[PyHit]) -> None:
    body = getattr(loop, "body", None)
    if isinstance(body, list) and body and isinstance(body[-1], ast.Return | ast.Break | ast.Raise):
        return  # runs once
    changed = _changed_names(loop)
    for call, name in finder.encryptions(loop, in_loop=True):
        if name not in changed and _varying_message(loop, changed - {name}):
            detail = f"nonce {name!r} is set once and reused on every loop iteration"
            hits.append(_hit(call, detail))


def _varying_message(loop: ast.AST, changed: set[str]) -> bool:
    """Does the loop encrypt data that changes between iterations? (A retry loop sending
    the same message again under the same nonce leaks nothing.)"""
    for call in _own_calls(loop):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in _MESSAGE_CALLS:
            arguments = [*call.args, *(kw.value for kw in call.keywords)]
            if any(_names(argument) & changed for argument in arguments):
                return True
    return False


def _in_sequence(block: list[ast.stmt], finder: _Uses, hits: list[PyHit]) -> None:
    used: dict[str, str] = {}  # nonce -> the message it encrypted
    for statement in block:
        if isinstance(statement, _SCOPES):
            continue
        uses = list(finder.encryptions(statement, in_loop=False))
        for call, name in uses:
            message = ast.dump(_message(call))
            if name in used and used[name] != message:
                hits.append(_hit(call, f"nonce {name!r} already used for an earlier message"))
        used.update((name, ast.dump(_message(call))) for call, name in uses)
        for name in _changed_names(statement):
            used.pop(name, None)
        for child in ("body", "orelse", "finalbody"):
            inner = getattr(statement, child, None)
            if isinstance(inner, list):
                _in_sequence(inner, finder, hits)


def _changed_names(node: ast.AST) -> set[str]:
    """Names (re)assigned, stored into, advanced or mutated by a method inside `node`."""
    changed: set[str] = set()
    for child in _own_nodes(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store | ast.Del):
            changed.add(child.id)
        elif isinstance(child, ast.Subscript | ast.Attribute) and isinstance(child.ctx, ast.Store):
            base = child.value
            if isinstance(base, ast.Name):
                changed.add(base.id)
        elif isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
            changed.add(child.target.id)
        elif isinstance(child, ast.Call):
            func = child.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.attr not in _READ_ONLY
            ):
                changed.add(func.value.id)
            label = ast.unparse(func).lower()
            if any(word in label for word in _ADVANCING):
                changed.update(a.id for a in child.args if isinstance(a, ast.Name))
    return changed


def _message(call: ast.Call) -> ast.AST:
    """What an AEAD / box `encrypt` call encrypts (the arguments other than the nonce)."""
    nonce_at = 0 if len(call.args) + len(call.keywords) == _AEAD_ARITY else 1
    rest = [a for i, a in enumerate(call.args) if i != nonce_at]
    return ast.Tuple(elts=[*rest, *(kw.value for kw in call.keywords if kw.arg != "nonce")])


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if 0 <= index < len(call.args):
        return call.args[index]
    return None


def _named(call: ast.Call, nonce: ast.expr | None) -> Iterator[tuple[ast.Call, str]]:
    if isinstance(nonce, ast.Name):
        yield call, nonce.id


def _hit(call: ast.Call, detail: str) -> PyHit:
    line = call.lineno
    return PyHit("static-iv", line, call.end_lineno or line, 0.7, detail, f"static-iv@{line}")


def _imported_modules(tree: ast.Module) -> set[str]:
    modules: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def _scopes(tree: ast.Module) -> Iterator[ast.AST]:
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _SCOPES):
            stack.extend(ast.iter_child_nodes(node))


def _own_calls(node: ast.AST) -> Iterator[ast.Call]:
    if isinstance(node, ast.Call):
        yield node
    for child in _own_nodes(node):
        if isinstance(child, ast.Call):
            yield child
