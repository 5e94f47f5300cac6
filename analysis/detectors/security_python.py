"""Python security checks on the syntax tree (comments and string contents never match).

`scan_python(source)` returns Hits in `source`'s own line numbering; the caller maps
them onto the added lines of the diff.
"""

from __future__ import annotations

import ast
import re

from analysis.detectors.python_expressions import ExpressionReader, const_str, is_star, is_true
from analysis.detectors.security_catalog import Hit

_SQL_WORDS = re.compile(
    r"(?i)\b(select|insert|update|delete|create|drop|alter|merge|truncate|grant|where|values)\b"
)
_SQL_SINKS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "exec_driver_sql",
        "raw",
        "query",
        "text",
        "read_sql",
        "read_sql_query",
        "mogrify",
    }
)
_ALWAYS_SQL = frozenset({"execute", "executemany", "executescript", "exec_driver_sql", "mogrify"})
_SUBPROCESS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
    }
)
_ALWAYS_SHELL = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
        "commands.getoutput",
    }
)
_DESERIALISERS = frozenset(
    {
        "pickle.loads",
        "pickle.load",
        "pickle.Unpickler",
        "cPickle.loads",
        "cPickle.load",
        "dill.loads",
        "dill.load",
        "marshal.loads",
        "marshal.load",
        "shelve.open",
        "jsonpickle.decode",
        "pandas.read_pickle",
        "yaml.unsafe_load",
        "yaml.unsafe_load_all",
    }
)
_SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
_ACAO = "access-control-allow-origin"


class _Scanner(ExpressionReader):
    def __init__(self, tree: ast.Module) -> None:
        super().__init__(tree)
        self.hits: list[Hit] = []

    def hit(self, rule_id: str, node: ast.AST, confidence: float, detail: str) -> None:
        line = getattr(node, "lineno", 1)
        end = getattr(node, "end_lineno", None) or line
        self.hits.append(Hit(rule_id, line, end, confidence, detail))

    def visit_Call(self, node: ast.Call) -> None:
        name = self.qualname(node.func)
        short = name.rsplit(".", 1)[-1]
        first = node.args[0] if node.args else None
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        self._check_sql(node, short, first)
        self._check_shell(node, name, first, keywords)
        if name in ("eval", "exec") and first is not None and not self.is_constant(first):
            self.hit("code-injection", node, 0.8, f"{name}() of a non-constant value")
        self._check_deserialisation(node, name, keywords)
        for key in ("verify", "ssl", "verify_ssl"):
            value = keywords.get(key)
            if isinstance(value, ast.Constant) and value.value is False:
                self.hit("tls-verification-disabled", value, 0.9, f"{key}=False")
        self._check_hash(node, name, first, keywords)
        debug = keywords.get("debug")
        if short == "run" and isinstance(debug, ast.Constant) and debug.value is True:
            self.hit("debug-mode-enabled", node, 0.8, f"{name}(debug=True)")
        self._check_cors_call(node, short, keywords)
        self.generic_visit(node)

    def _check_sql(self, node: ast.Call, short: str, first: ast.AST | None) -> None:
        if short not in _SQL_SINKS or first is None:
            return
        built = self.dynamic_string(first)
        if built is None:
            return
        if short not in _ALWAYS_SQL and not _SQL_WORDS.search(self.string_text(built)):
            return
        how = {ast.JoinedStr: "an f-string", ast.BinOp: "string operators"}.get(
            type(built), "str.format()"
        )
        self.hit("sql-injection", node, 0.85, f"{short}() receives SQL built with {how}")

    def _check_shell(
        self, node: ast.Call, name: str, first: ast.AST | None, keywords: dict[str, ast.expr]
    ) -> None:
        command = first if first is not None else keywords.get("args")
        if command is None or self.is_constant(command):
            return
        shell = keywords.get("shell")
        if name in _ALWAYS_SHELL:
            self.hit("shell-injection", node, 0.85, f"{name}() with a non-constant command")
        elif name in _SUBPROCESS and isinstance(shell, ast.Constant) and shell.value is True:
            self.hit("shell-injection", node, 0.85, f"{name}(..., shell=True) with a variable")

    def _check_deserialisation(
        self, node: ast.Call, name: str, keywords: dict[str, ast.expr]
    ) -> None:
        if name in _DESERIALISERS:
            self.hit("unsafe-deserialization", node, 0.75, f"{name}()")
        elif name == "yaml.load" or name == "yaml.load_all":
            loader = keywords.get("Loader") or (node.args[1] if len(node.args) > 1 else None)
            loader_name = self.qualname(loader).rsplit(".", 1)[-1] if loader is not None else ""
            if loader_name not in _SAFE_YAML_LOADERS:
                used = f" (Loader={loader_name})" if loader_name else ""
                self.hit("unsafe-deserialization", node, 0.85, f"{name}() without SafeLoader{used}")

    def _check_hash(
        self, node: ast.Call, name: str, first: ast.AST | None, keywords: dict[str, ast.expr]
    ) -> None:
        algorithm = None
        if name in ("hashlib.md5", "hashlib.sha1"):
            algorithm = name.rsplit(".", 1)[-1]
        elif name == "hashlib.new" and (const_str(first) or "").lower() in ("md5", "sha1"):
            algorithm = (const_str(first) or "").lower()
        usedforsecurity = keywords.get("usedforsecurity")
        if algorithm and not (
            isinstance(usedforsecurity, ast.Constant) and usedforsecurity.value is False
        ):
            self.hit("weak-hash", node, 0.6, f"hashlib {algorithm}")

    def _check_cors_call(self, node: ast.Call, short: str, keywords: dict[str, ast.expr]) -> None:
        for key in ("origins", "allow_origins", "origin"):
            if key in keywords and is_star(keywords[key]):
                credentials = keywords.get(
                    "allow_credentials", keywords.get("supports_credentials")
                )
                confidence = 0.9 if is_true(credentials) else 0.85
                self.hit("permissive-cors", node, confidence, f"{key}=*")
                return
        resources = keywords.get("resources")
        if short in ("CORS", "cross_origin") and isinstance(resources, ast.Dict):
            for value in resources.values:
                if isinstance(value, ast.Dict) and any(
                    const_str(k) == "origins" and is_star(v)
                    for k, v in zip(value.keys, value.values, strict=True)
                ):
                    self.hit("permissive-cors", node, 0.85, "resources with origins=*")
                    return
        if short == "CORS" and "origins" not in keywords and "resources" not in keywords:
            self.hit("permissive-cors", node, 0.45, "flask-cors defaults to every origin")
        header = const_str(node.args[0]) if node.args else None
        if len(node.args) >= 2 and (header or "").lower() == _ACAO and is_star(node.args[1]):
            self.hit("permissive-cors", node, 0.85, "Access-Control-Allow-Origin: *")

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if (const_str(key) or "").lower() == _ACAO and is_star(value):
                self.hit("permissive-cors", value, 0.85, "Access-Control-Allow-Origin: *")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self.qualname(node) == "ssl._create_unverified_context":
            self.hit("tls-verification-disabled", node, 0.9, "ssl._create_unverified_context")
        elif self.qualname(node) == "ssl.CERT_NONE":
            self.hit("tls-verification-disabled", node, 0.85, "ssl.CERT_NONE")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_assignment(target, node.value)
        self.generic_visit(node)

    def _check_assignment(self, target: ast.expr, value: ast.expr) -> None:
        is_true = isinstance(value, ast.Constant) and value.value is True
        if isinstance(target, ast.Name) and target.id == "DEBUG" and is_true:
            self.hit("debug-mode-enabled", target, 0.6, "DEBUG = True")
        elif isinstance(target, ast.Attribute) and target.attr == "debug" and is_true:
            self.hit("debug-mode-enabled", target, 0.7, f"{self.qualname(target)} = True")
        elif isinstance(target, ast.Attribute) and target.attr == "check_hostname":
            if isinstance(value, ast.Constant) and value.value is False:
                self.hit("tls-verification-disabled", target, 0.85, "check_hostname = False")
        elif isinstance(target, ast.Subscript):
            key = (const_str(target.slice) or "").lower()
            if key == "debug" and is_true:
                self.hit("debug-mode-enabled", target, 0.7, "config['DEBUG'] = True")
            elif key == _ACAO and is_star(value):
                self.hit("permissive-cors", target, 0.85, "Access-Control-Allow-Origin: *")


def scan_python(source: str) -> list[Hit]:
    """Hits in `source`; raises SyntaxError when it does not parse."""
    tree = ast.parse(source)
    scanner = _Scanner(tree)
    scanner.visit(tree)
    return scanner.hits
