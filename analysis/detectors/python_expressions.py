"""Reading Python expressions: import aliases, dotted names, constants, built strings.

The base of the AST security scanner; a later taint-tracking pass can replace the
one-level `dynamic_string` lookup without touching the rules.
"""

from __future__ import annotations

import ast


def const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_star(node: ast.AST | None) -> bool:
    if const_str(node) == "*":
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(const_str(element) == "*" for element in node.elts)
    return False


class ExpressionReader(ast.NodeVisitor):
    """Tracks imports and the enclosing function while visiting."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.aliases: dict[str, str] = {}
        self.scopes: list[ast.AST] = [tree]

    # ---- names -------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = (
                alias.name if alias.asname else alias.name.split(".")[0]
            )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name] = f"{node.module or ''}.{alias.name}"

    def qualname(self, node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr}" if base else node.attr
        return ""

    def _assigned_values(self, name: str) -> list[ast.expr]:
        """Values assigned to `name` in the enclosing function (else module level)."""
        for scope in (self.scopes[-1], self.tree):
            values = [
                node.value
                for node in ast.walk(scope)
                if isinstance(node, ast.Assign | ast.AnnAssign)
                and node.value is not None
                and any(
                    isinstance(target, ast.Name) and target.id == name
                    for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                )
            ]
            if values:
                return values
        return []

    # ---- expression classification -----------------------------------------------------
    def is_constant(self, node: ast.AST, depth: int = 0) -> bool:
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.List | ast.Tuple):
            return all(self.is_constant(element, depth) for element in node.elts)
        if isinstance(node, ast.JoinedStr):
            return all(isinstance(value, ast.Constant) for value in node.values)
        if isinstance(node, ast.BinOp):
            return self.is_constant(node.left, depth) and self.is_constant(node.right, depth)
        if isinstance(node, ast.Name) and depth < 2:
            values = self._assigned_values(node.id)
            return bool(values) and all(self.is_constant(value, depth + 1) for value in values)
        return False

    def string_text(self, node: ast.AST) -> str:
        return " ".join(
            child.value
            for child in ast.walk(node)
            if isinstance(child, ast.Constant) and isinstance(child.value, str)
        )

    def dynamic_string(self, node: ast.AST, depth: int = 0) -> ast.AST | None:
        """The string-building expression behind `node` (f-string, +, %, .format), if any."""
        if isinstance(node, ast.JoinedStr) and not self.is_constant(node):
            return node
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            has_text = bool(self.string_text(node.left)) or isinstance(node.left, ast.JoinedStr)
            if has_text and not self.is_constant(node):
                return node
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and const_str(node.func.value) is not None
            and not all(self.is_constant(arg) for arg in node.args)
        ):
            return node
        if isinstance(node, ast.Name) and depth < 2:
            for value in self._assigned_values(node.id):
                found = self.dynamic_string(value, depth + 1)
                if found is not None:
                    return found
        return None

    # ---- visiting ----------------------------------------------------------------------
    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.append(node)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = _scoped
    visit_AsyncFunctionDef = _scoped
