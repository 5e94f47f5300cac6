"""Hash misuse: broken digests (MD5, SHA-1) and fast digests of passwords.

A fast hash (MD5, SHA-1, SHA-2, SHA-3, BLAKE2 ...) is the wrong tool for a password: it is
reported as `weak-password-hash` when the hashed data is named like a password, flows from
such a name in the same function, is a parameter of a function that hashes or checks a
password, or when the digest is stored in a password field (`user.password_hash = ...`).
Digests of files and messages, HMACs and real password hashes (PBKDF2, scrypt, bcrypt,
argon2) are not reported; neither is a fast digest handed to a slow one (pre-hashing
before bcrypt) nor the SHA-1 prefix of a Have I Been Pwned range query.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from analysis.detectors.python.callsite import CallSite, PyHit, Reporter
from analysis.detectors.python.sensitive_names import (
    data_names,
    identifiers,
    is_password_field,
    is_password_function,
    password_in,
    password_strength,
    words,
)
from analysis.detectors.python.values import LOCAL, PARAM, REMOTE, Value
from warden.records import Severity

Qualname = Callable[[ast.AST], str]

#: words naming a secret that, hashed in, makes the digest a (forgeable) MAC
_SECRET_WORDS = frozenset({"secret", "secrets", "private", "credential", "credentials", "apikey"})
_SECRET_KEY_QUALIFIERS = frozenset({"signing", "hmac", "api", "shared", "secret", "mac"})
#: a function with one of these words computes a signature or authenticates
_SIGNING_WORDS = frozenset(
    {"sign", "signs", "signed", "signer", "signing", "signature", "hmac", "mac",
     "authenticate", "authenticator"}
)  # fmt: skip
#: ...unless the digest only names content
_FINGERPRINT_WORDS = frozenset(
    {"etag", "checksum", "checksums", "cache", "cached", "fingerprint", "dedup", "dedupe",
     "shard", "partition", "bucket", "gravatar", "content", "file", "filename"}
)  # fmt: skip

BROKEN = frozenset({"md5", "sha1", "md4", "md2", "sha"})
_HASHLIB = frozenset(
    {
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
        "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256",
    }
)  # fmt: skip
_PYCRYPTODOME_HASH = re.compile(r"^(?:Crypto|Cryptodome)\.Hash\.(\w+)\.new$")
_PYCRYPTODOME_MACS = frozenset({"HMAC", "CMAC", "Poly1305", "KMAC128", "KMAC256"})
_CRYPTOGRAPHY_HASHES = "cryptography.hazmat.primitives.hashes."
# slow password hashes and key-derivation functions (a fast digest fed to one is pre-hashing)
_KDF_CALLS = frozenset(
    {
        "bcrypt.hashpw", "bcrypt.kdf", "hashlib.pbkdf2_hmac", "hashlib.scrypt", "scrypt.hash",
        "werkzeug.security.generate_password_hash", "django.contrib.auth.hashers.make_password",
        "argon2.low_level.hash_secret", "argon2.low_level.hash_secret_raw",
        "nacl.pwhash.str", "nacl.pwhash.argon2id.str", "passlib.hash.bcrypt.hash",
    }
)  # fmt: skip
_KDF_METHODS = frozenset(
    {"hashpw", "pbkdf2_hmac", "generate_password_hash", "make_password", "derive", "hash"}
)
_PWNED_RANGE = "pwnedpasswords"
_RANDOM_SOURCES = frozenset(
    {
        "urandom", "token_bytes", "token_hex", "token_urlsafe", "uuid4", "uuid1", "getrandbits",
        "randbytes", "random", "randint", "time", "time_ns", "now", "utcnow", "choice",
        "choices", "get_random_bytes",
    }
)  # fmt: skip
_FLOW_KINDS = frozenset({REMOTE, LOCAL, PARAM})


def fast_hash(name: str, call: ast.Call, algorithm: object = None) -> str:
    """The fast digest a call creates (`hashlib.sha256(...)` -> 'sha256'), else ''.
    `algorithm` is the value of `hashlib.new`'s name argument when the caller knows it."""
    if name.startswith("hashlib."):
        short = name[8:]
        if short in _HASHLIB:
            return short
        if short == "new":
            if algorithm is None and call.args and isinstance(call.args[0], ast.Constant):
                algorithm = call.args[0].value
            return algorithm.lower() if isinstance(algorithm, str) else ""
        return ""
    found = _PYCRYPTODOME_HASH.match(name)
    if found and found.group(1) not in _PYCRYPTODOME_MACS:
        return found.group(1).lower()
    if name == _CRYPTOGRAPHY_HASHES + "Hash" and call.args:
        algorithm = call.args[0]
        if isinstance(algorithm, ast.Call):
            func = algorithm.func
            short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            return short.lower()
    return ""


def hash_object_shape(name: str, call: ast.Call) -> str:
    """The value shape of a hash object made without data (`h = hashlib.sha256()`)."""
    algorithm = fast_hash(name, call)
    if not algorithm:
        return ""
    given = call.args[1:] if name == "hashlib.new" else call.args
    if name == _CRYPTOGRAPHY_HASHES + "Hash":
        given = []
    if given or any(kw.arg in ("data", "string") for kw in call.keywords):
        return ""
    return f"hash:{algorithm}@{call.lineno}"


def check_hash(site: CallSite, out: Reporter) -> None:
    name = site.name
    group = ""
    if site.short == "update" and site.receiver is not None:
        shape = site.receiver.shape
        if not shape.startswith("hash:"):
            return
        algorithm, _, line = shape[5:].partition("@")
        data = site.arg(0, "data")
        group = f"hash-object@{line}"
    else:
        named = site.arg(0, "name") if name == "hashlib.new" else None
        algorithm = _broken_reference(site) or fast_hash(
            name, site.node, named[1].literal if named is not None else None
        )
        if not algorithm:
            return
        flag = site.keyword("usedforsecurity")
        if isinstance(flag, ast.Constant) and flag.value is False:
            return
        data = _data_argument(site)
        if data is None and hash_object_shape(name, site.node):
            group = f"hash-object@{site.node.lineno}"
    password = _password(site, data) if data is not None else ""
    if password:
        confidence = 0.85 if algorithm in BROKEN else 0.8
        detail = f"{algorithm} of {password[:40]} (a fast hash)"
        out.report("weak-password-hash", site.node, confidence, detail, group)
    elif algorithm in BROKEN and site.short != "update":
        purpose = _signing_purpose(site, data)
        if purpose:
            detail = f"{algorithm} used {purpose}: a forgeable signature (use HMAC-SHA256)"
            out.report("weak-hash", site.node, 0.8, detail, group, Severity.medium)
        else:
            out.report("weak-hash", site.node, 0.6, f"{algorithm} digest", group)


def _signing_purpose(site: CallSite, data: tuple[ast.expr, Value] | None) -> str:
    """Why this digest authenticates something: a secret is hashed in (the secret-prefix MAC
    length extension forges), or its function signs; "" for content fingerprints."""
    function_words = set(words(site.function.name))
    if function_words & _FINGERPRINT_WORDS:
        return ""
    for name in data_names(data[0]) if data is not None else []:
        parts = set(words(name))
        if parts & _FINGERPRINT_WORDS:
            continue
        if parts & _SECRET_WORDS or ("key" in parts and parts & _SECRET_KEY_QUALIFIERS):
            return f"with the secret `{name}` hashed in"
    if function_words & _SIGNING_WORDS:
        return f"to sign in {site.function.name}()"
    return ""


def _broken_reference(site: CallSite) -> str:
    """`hashes.MD5()` / `hashes.SHA1()` handed to cryptography's Hash, HMAC or signers."""
    if site.name.startswith(_CRYPTOGRAPHY_HASHES) and site.short in ("MD5", "SHA1"):
        return site.short.lower()
    return ""


def _data_argument(site: CallSite) -> tuple[ast.expr, Value] | None:
    if site.name == "hashlib.new":
        return site.arg(1, "data") or site.arg(1, "string")
    if site.name.startswith(_CRYPTOGRAPHY_HASHES):
        return None
    return site.arg(0, "data") or site.arg(0, "string")


def _password(site: CallSite, data: tuple[ast.expr, Value]) -> str:
    """The password-like name the hashed data is, or flows from."""
    node, value = data
    named = password_in(data_names(node))
    if named:
        return named
    for taint in value.taints:
        if taint.kind not in _FLOW_KINDS:
            continue  # data that went through calls the pass cannot see into
        steps = [taint.label, *(step.split(" (line", 1)[0] for step in taint.trail)]
        for step in steps:
            for name in identifiers(step):
                if password_strength(name) == "strong":
                    return name
    if is_password_function(site.function.name) and any(
        t.kind == PARAM and not t.label.startswith(("self", "cls")) for t in value.taints
    ):
        return f"a parameter of {site.function.name}()"
    return ""


# ---- the syntax pass: digests stored as passwords, and pre-hashing excused ----------------


def password_field_hits(tree: ast.Module, qualname: Qualname) -> tuple[list[PyHit], set[int]]:
    """Fast digests stored in a password field, and the lines where a fast digest of a
    password is excused (it feeds a slow hash, or is a Pwned Passwords range prefix)."""
    hits: list[PyHit] = []
    excused: set[int] = set()
    pwned = False
    for _, nodes in _scopes(tree):
        assigned: dict[str, list[ast.expr]] = {}
        kdf_inputs: set[str] = set()
        stores: list[tuple[str, ast.expr]] = []
        for node in nodes:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
                    stores.append((_target_name(target), node.value))
            elif isinstance(node, ast.keyword) and node.arg:
                stores.append((node.arg, node.value))
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        stores.append((key.value, value))
            elif isinstance(node, ast.Call) and _is_kdf(node, qualname):
                for argument in [*node.args, *(kw.value for kw in node.keywords)]:
                    excused.update(call.lineno for call in _fast_hashes(argument, qualname))
                    kdf_inputs.update(n.id for n in ast.walk(argument) if isinstance(n, ast.Name))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                pwned = pwned or _PWNED_RANGE in node.value
        for name in kdf_inputs:
            for value in assigned.get(name, []):
                excused.update(call.lineno for call in _fast_hashes(value, qualname))
        for field, value in stores:
            if not field or not is_password_field(field):
                continue
            sources = assigned.get(value.id, []) if isinstance(value, ast.Name) else [value]
            for source in sources:
                for call in _fast_hashes(source, qualname):
                    if _hashes_data(call):
                        hits.append(_field_hit(call, qualname, field))
    if pwned:
        excused.update(
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and fast_hash(qualname(node.func), node) == "sha1"
        )
    return hits, excused


def _field_hit(call: ast.Call, qualname: Qualname, field: str) -> PyHit:
    algorithm = fast_hash(qualname(call.func), call)
    line = call.lineno
    detail = f"{algorithm} digest stored as {field} (a fast hash)"
    return PyHit("weak-password-hash", line, call.end_lineno or line, 0.8, detail,
                 f"weak-password-hash@{line}")  # fmt: skip


def _hashes_data(call: ast.Call) -> bool:
    """The call hashes named data (not only random bytes or the time)."""
    names = [n for arg in call.args for n in data_names(arg)]
    return any(name not in _RANDOM_SOURCES for name in names)


def _target_name(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        key = target.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
    return ""


def _is_kdf(call: ast.Call, qualname: Qualname) -> bool:
    name = qualname(call.func)
    if name in _KDF_CALLS:
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr in _KDF_METHODS


def _fast_hashes(node: ast.AST, qualname: Qualname) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and fast_hash(qualname(child.func), child):
            yield child


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _scopes(tree: ast.Module) -> Iterator[tuple[ast.AST, list[ast.AST]]]:
    """Each scope (the module, every class and function) with its own nodes: those not
    inside a nested function or class. One walk over the tree in all."""
    pending: list[ast.AST] = [tree]
    while pending:
        scope = pending.pop()
        nodes: list[ast.AST] = []
        stack = list(ast.iter_child_nodes(scope))
        while stack:
            node = stack.pop()
            if isinstance(node, _SCOPES):
                pending.append(node)
                continue
            nodes.append(node)
            stack.extend(ast.iter_child_nodes(node))
        yield scope, nodes
