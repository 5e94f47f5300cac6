"""What a name says about the data or file it holds: passwords (and the digests, tokens and
policies named after them, which are not passwords), and files holding keys or credentials.

Names are split into lower-case words on punctuation and camelCase: `userPIN` -> user, pin;
`api_key_path` -> api, key, path; `id_rsa.pub` -> id, rsa, pub.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import lru_cache

_CACHE = 4096
_WORD = re.compile(r"[A-Z]+\d*(?![a-z])|[A-Z]?[a-z]+\d*|\d+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# words naming a password (a short secret a person chose)
_PASSWORD_WORDS = frozenset(
    {"password", "passwords", "passwd", "pwd", "pw", "passphrase", "passcode"}
)
# words naming a secret that is a password only when it is hashed on its own
_WEAK_WORDS = frozenset({"secret", "pin"})
# words saying the name holds something derived from or about a password
_DERIVED_WORDS = frozenset(
    {
        "hash", "hashed", "hashes", "digest", "token", "tokens", "reset", "salt", "policy",
        "hint", "length", "len", "min", "max", "field", "column", "url", "link", "changed",
        "updated", "at", "expires", "expiry", "encrypted", "strength", "rules", "regex",
        "label", "prompt", "version", "count", "attempts",
    }
)  # fmt: skip
# words saying a "secret" is a machine credential (high entropy), not a person's password
_MACHINE_WORDS = frozenset(
    {
        "key", "token", "api", "client", "webhook", "signing", "hmac", "jwt", "app",
        "shared", "access", "aws", "bearer", "oauth", "totp", "otp", "mfa", "id", "session",
    }
)  # fmt: skip
# words naming a file that holds a private key or credentials
_CREDENTIAL_FILE_WORDS = frozenset(
    {
        "key", "keys", "keyfile", "keypair", "privkey", "privatekey", "private", "apikey",
        "secret", "secrets", "credential", "credentials", "creds", "cred", "token", "tokens",
        "password", "passwords", "passwd", "htpasswd", "netrc", "pgpass", "keystore", "jks",
        "p12", "pfx", "kdbx", "shadow", "rsa", "ed25519", "ecdsa", "dsa", "pem",
    }
)  # fmt: skip
# words saying the file is public (public keys, certificates, host lists) or a directory
_PUBLIC_FILE_WORDS = frozenset(
    {
        "pub", "public", "authorized", "known", "hosts", "cert", "certs", "crt", "cer",
        "csr", "ca", "chain", "fullchain", "bundle", "dir", "dirs", "directory", "folder",
    }
)  # fmt: skip


@lru_cache(maxsize=_CACHE)
def words(name: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD.findall(name))


@lru_cache(maxsize=_CACHE)
def password_strength(name: str) -> str:
    """'strong' for a password name, 'weak' for a bare secret / PIN name, else ''."""
    listed = words(name)
    found = set(listed)
    if not found or found & _DERIVED_WORDS:
        return ""
    if found & _PASSWORD_WORDS or any("passw" in word for word in found) or listed[-1] == "pass":
        return "strong"
    if found & _WEAK_WORDS and not found & _MACHINE_WORDS:
        return "weak"
    return ""


def identifiers(text: str) -> list[str]:
    """Identifier-like pieces of a label (`form["password"]` -> form, password)."""
    return _IDENTIFIER.findall(text)


def data_names(node: ast.AST) -> list[str]:
    """The names of the data an expression is built from: variables, attributes, keys read
    from mappings and the functions that produce it (`user.password.encode()` ->
    ['password']; `form.get("pin")` -> ['pin']; `salt + pw` -> ['salt', 'pw'])."""
    names: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            names.append(current.id)
        elif isinstance(current, ast.Attribute):
            if current.attr in _HOLDER_ATTRIBUTES:  # `form.password.data`
                stack.append(current.value)
            else:
                names.append(current.attr)
        elif isinstance(current, ast.Subscript):
            key = current.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.append(key.value)
            else:
                stack.append(current.value)
        elif isinstance(current, ast.Call):
            stack.extend(_call_parts(current, names))
        elif isinstance(current, ast.expr):
            stack.extend(c for c in ast.iter_child_nodes(current) if isinstance(c, ast.expr))
    return names


_TRANSFORMS = frozenset(
    {"encode", "decode", "strip", "lower", "upper", "casefold", "rstrip", "lstrip", "format"}
)
_HOLDER_ATTRIBUTES = frozenset({"data", "value", "text", "raw", "plain", "content", "val"})
_PLAIN_BUILTINS = frozenset({"str", "bytes", "bytearray", "repr", "memoryview"})
_GETTERS = frozenset({"get", "getlist", "pop", "get_one", "getone"})


def _call_parts(call: ast.Call, names: list[str]) -> list[ast.expr]:
    func = call.func
    parts: list[ast.expr] = list(call.args) + [kw.value for kw in call.keywords]
    if isinstance(func, ast.Attribute):
        key = call.args[0] if call.args else None
        if func.attr in _GETTERS and isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.append(key.value)
            return []
        if func.attr in _TRANSFORMS:
            return [func.value, *parts]
        names.append(func.attr)
    elif isinstance(func, ast.Name) and func.id not in _PLAIN_BUILTINS:
        names.append(func.id)
    return parts


def password_in(names: Iterable[str]) -> str:
    """The password-like name among `names`: any password word, or a bare secret / PIN
    when it is the only data (with a salt or pepper at most)."""
    listed = list(names)
    weak = ""
    for name in listed:
        strength = password_strength(name)
        if strength == "strong":
            return name
        if strength == "weak" and not weak:
            weak = name
    if weak and all(n == weak or set(words(n)) <= {"salt", "pepper"} for n in listed):
        return weak
    return ""


def is_credential_path(texts: Iterable[str]) -> str:
    """The word that makes a path name a key / credential file, or ''."""
    found: set[str] = set()
    for text in texts:
        found.update(words(text))
    if found & _PUBLIC_FILE_WORDS:
        return ""
    hits = found & _CREDENTIAL_FILE_WORDS
    if not hits:
        return ""
    return sorted(hits)[0]


_HASHING_VERBS = frozenset(
    {
        "hash", "hashed", "hasher", "hashing", "encode", "encrypt", "digest", "make", "set",
        "store", "save", "verify", "check", "compare", "match", "matches",
    }
)  # fmt: skip
_NOT_STORAGE = frozenset(
    {
        "reset", "token", "forgot", "recovery", "link", "email", "expiry", "strength",
        "policy", "breach", "breached", "pwned", "leak", "leaked", "compromised", "random",
        "generate", "validate", "hint",
    }
)  # fmt: skip
_FIELD_DIGESTS = frozenset({"hash", "hashed", "digest"})


@lru_cache(maxsize=_CACHE)
def is_password_function(name: str) -> bool:
    """`hash_password`, `check_pw`, `setPassword`: a function that stores or checks one."""
    found = set(words(name))
    has_password = found & _PASSWORD_WORDS or any("passw" in word for word in found)
    return bool(has_password and found & _HASHING_VERBS and not found & _NOT_STORAGE)


@lru_cache(maxsize=_CACHE)
def is_password_field(name: str) -> bool:
    """`password`, `password_hash`, `hashed_pw`, `pin_digest`: where a password (or its
    stored hash) is kept."""
    found = set(words(name))
    if password_strength(name) == "strong":
        return True
    if not found & _FIELD_DIGESTS:
        return False
    rest = " ".join(word for word in words(name) if word not in _FIELD_DIGESTS)
    return bool(rest) and password_strength(rest) in ("strong", "weak")
