"""File permissions: world-writable modes on anything, world-readable or group/world-writable
modes on files that hold keys or credentials, and a umask that leaves new files
world-writable.

Modes are read from `os.chmod` / `os.fchmod` / `os.lchmod`, `os.open(path, flags, mode)`,
`os.mkdir` / `os.makedirs` (world-writable only), and `Path.chmod` / `Path.touch`; `stat`
constants are folded (`stat.S_IRUSR | stat.S_IROTH`). The mode of a file being created
(`os.open`, `touch`) is judged after the usual umask 022, which `0o666` relies on.

A file counts as a credential file by its name (`key_path`, `"server.pem"`,
`creds / "token.json"`, `id_rsa`) or, for a path named only `path` / `target`, by the
function (`def save_private_key(path)`); not when it is public (`id_rsa.pub`, certificates,
`authorized_keys`) or a directory.
"""

from __future__ import annotations

import ast
import stat

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.sensitive_names import is_credential_path, words
from analysis.detectors.python.values import Value

# call -> (position of the path, position of the mode)
_MODE_CALLS = {
    "os.chmod": (0, 1),
    "os.fchmod": (0, 1),
    "os.lchmod": (0, 1),
    "os.open": (0, 2),
}
_DIRECTORY_CALLS = {"os.mkdir": 1, "os.makedirs": 1}
_PATH_METHODS = frozenset({"chmod", "touch", "lchmod"})
_GENERIC_PATH_WORDS = frozenset(
    {"path", "file", "filename", "fname", "name", "target", "dest", "destination", "p", "f",
     "fp", "fn", "location", "loc", "filepath"}
)  # fmt: skip
_CREATION_CALLS = frozenset({"os.open"})
_USUAL_UMASK = 0o022
_WORLD_WRITABLE = stat.S_IWOTH
_EXPOSES_SECRETS = stat.S_IROTH | stat.S_IWOTH | stat.S_IWGRP


def check_permissions(site: CallSite, out: Reporter) -> None:
    if site.name == "os.umask":
        found = site.arg(0, "mask")
        mask = _mode(found[1] if found is not None else None)
        if mask is not None and not mask & _WORLD_WRITABLE:
            detail = f"os.umask({oct(mask) if mask else 0}) makes new files world-writable"
            out.report("insecure-permissions", site.node, 0.7, detail)
        return
    target, value = _target_and_mode(site)
    bits = _mode(value)
    if bits is None:
        return
    creating = site.name in _CREATION_CALLS or site.short == "touch"
    effective = bits & ~_USUAL_UMASK if creating else bits  # a creation mode meets the umask
    if effective & _WORLD_WRITABLE:
        out.report("insecure-permissions", site.node, 0.8, f"mode {oct(bits)} is world-writable")
        return
    if target is None or not effective & _EXPOSES_SECRETS:
        return
    texts = _path_texts(*target)
    if _generic_path(target[0]):  # `def save_private_key(path): ... os.chmod(path, 0o644)`
        texts.append(site.function.name)
    if is_credential_path(texts):
        who = "every local user can read" if effective & stat.S_IROTH else "the group can change"
        shown = ast.unparse(target[0])[:50]
        detail = f"mode {oct(bits)} on key/credential file {shown}: {who} it"
        out.report("insecure-permissions", site.node, 0.75, detail)


def _mode(value: Value | None) -> int | None:
    bits = value.literal if value is not None else None
    return bits if isinstance(bits, int) and not isinstance(bits, bool) else None


def _target_and_mode(
    site: CallSite,
) -> tuple[tuple[ast.expr, Value] | None, Value | None]:
    """The file a call sets a mode on (None for directories) and the mode."""
    name = site.name
    if name in _MODE_CALLS:
        path_at, mode_at = _MODE_CALLS[name]
        mode = site.arg(mode_at, "mode")
        return site.arg(path_at, "path"), mode[1] if mode is not None else None
    if name in _DIRECTORY_CALLS:
        mode = site.arg(_DIRECTORY_CALLS[name], "mode")
        return None, mode[1] if mode is not None else None
    func = site.node.func
    method = site.short in _PATH_METHODS and isinstance(func, ast.Attribute)
    if method and site.receiver is not None:
        if len(site.node.args) >= 2:  # `sftp.chmod(path, mode)`
            mode = site.arg(1, "mode")
            return site.arg(0, "path"), mode[1] if mode is not None else None
        mode = site.arg(0, "mode")  # `Path(...).chmod(mode)`, `path.touch(mode=...)`
        return (func.value, site.receiver), mode[1] if mode is not None else None
    return None, None


def _path_texts(node: ast.expr, value: Value) -> list[str]:
    """What names the file itself (not the directory it sits in): the last component of
    its constant text, the variable or attribute holding it, the variables it went
    through, and its origin when it came whole from there (`def save(key_path)`)."""
    texts = [step.split(" (line", 1)[0] for taint in value.taints for step in taint.trail]
    fragments = value.text.split()
    if fragments:
        texts.append(fragments[-1].rstrip("/").rsplit("/", 1)[-1])
    else:
        texts.extend(taint.label for taint in value.taints if not taint.trail)
    if isinstance(node, ast.Name):
        texts.append(node.id)
    elif isinstance(node, ast.Attribute):
        texts.append(node.attr)
    return texts


def _generic_path(node: ast.expr) -> bool:
    """A path variable whose name says nothing about the file (`path`, `self.target`)."""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return name is not None and set(words(name)) <= _GENERIC_PATH_WORDS
