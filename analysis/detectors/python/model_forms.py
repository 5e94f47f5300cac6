"""Mass assignment through Django model forms and DRF model serializers that let the client
write every model field.

Django's ModelForm documentation and DRF's ModelSerializer documentation both ask for an
explicit `fields` list: `fields = "__all__"` and `exclude = [...]` make every column
(`is_staff`, `owner`, `balance`, and any column added later) writable by whoever submits
the form. Such a class is reported where it is fed client data:

- bound to request data in this file (`ProfileForm(request.POST, instance=p)`,
  `ProfileSerializer(p, data=request.data)`), preferring the `Meta` line when it is added;
- the form or serializer of a generic editing view (`UpdateView`, `CreateView`,
  `ModelViewSet`, `UpdateAPIView`, ...), which binds the request itself;
- `fields = "__all__"` directly on a `CreateView` / `UpdateView`, or passed to
  `modelform_factory(...)` / given as `exclude=` there.

Quiet: explicit `fields` lists, serializers that declare `read_only_fields` (the writable
set was thought about), all-field classes that only read (`ProfileSerializer(profile).data`)
and all-field forms never bound to client data in the file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace

from analysis.detectors.python.callsite import CallSite, PyHit, Reporter
from analysis.detectors.python.values import DATA, STRINGS

Qualname = Callable[[ast.AST], str]

_FORM_BASES = frozenset({"ModelForm"})
_SERIALIZER_BASES = frozenset({"ModelSerializer", "HyperlinkedModelSerializer"})
# generic views that bind the submitted request to their form / serializer themselves
_EDIT_VIEWS = frozenset({"CreateView", "UpdateView"})
_WRITE_API_VIEWS = frozenset(
    {
        "ModelViewSet",
        "CreateAPIView",
        "UpdateAPIView",
        "ListCreateAPIView",
        "RetrieveUpdateAPIView",
        "RetrieveUpdateDestroyAPIView",
        "CreateModelMixin",
        "UpdateModelMixin",
    }
)
_FACTORIES = frozenset({"modelform_factory", "modelformset_factory", "inlineformset_factory"})
_MAPPINGS = frozenset({DATA, STRINGS})
_BOUND = 0.8
_VIEW = 0.75


@dataclass(frozen=True)
class OpenForm:
    """A model form or serializer whose `Meta` makes every model field writable."""

    name: str
    kind: str  # form | serializer
    line: int  # the `fields = "__all__"` / `exclude = ...` line
    how: str  # `fields = "__all__"` | `exclude`


def open_model_forms(tree: ast.Module, qualname: Qualname) -> dict[str, OpenForm]:
    """Model forms and serializers (module level) with all-field `Meta`s, by class name."""
    found: dict[str, OpenForm] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {qualname(base).rsplit(".", 1)[-1] for base in node.bases}
        kind = "form" if bases & _FORM_BASES else "serializer" if bases & _SERIALIZER_BASES else ""
        meta = next(
            (s for s in node.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None
        )
        if not kind or meta is None:
            continue
        assigned = _class_assignments(meta)
        if kind == "serializer" and "read_only_fields" in assigned:
            continue
        fields, exclude = assigned.get("fields"), assigned.get("exclude")
        if fields is not None and _is_all(fields.value):
            found[node.name] = OpenForm(node.name, kind, fields.lineno, 'fields = "__all__"')
        elif exclude is not None and fields is None:
            found[node.name] = OpenForm(node.name, kind, exclude.lineno, "exclude")
    return found


def bound_form_check(forms: dict[str, OpenForm]) -> Callable[[CallSite, Reporter], None]:
    """A call check: an all-field form / serializer bound to request data."""

    def check(site: CallSite, out: Reporter) -> None:
        form = forms.get(site.short) if isinstance(site.node.func, ast.Name) else None
        if form is None:
            _factory(site, out)
            return
        found = site.arg(0, "data") if form.kind == "form" else site.arg(1, "data")
        if found is None:
            return
        out.sink(
            "mass-assignment",
            site.node,
            found[1],
            f"{form.name} ({form.how}) bound to it",
            kind="mass",
            remote=_BOUND,
            shapes=_MAPPINGS,
            group=f"mass-assignment@form:{form.name}",
            prefer=((form.line, form.line),),
        )

    return check


def _factory(site: CallSite, out: Reporter) -> None:
    if site.short not in _FACTORIES or not site.name.startswith(("django.", site.short)):
        return
    fields = site.keyword("fields")
    exclude = site.keyword("exclude")
    if (fields is not None and _is_all(fields)) or (exclude is not None and fields is None):
        how = 'fields="__all__"' if fields is not None else "exclude="
        out.report(
            "mass-assignment", site.node, _VIEW, f"{site.short}({how}) makes every field writable"
        )


def view_hits(tree: ast.Module, qualname: Qualname, forms: dict[str, OpenForm]) -> list[PyHit]:
    """Generic editing views that bind the request to an all-field form or serializer."""
    hits: list[PyHit] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {qualname(base).rsplit(".", 1)[-1] for base in node.bases}
        edits, writes = bases & _EDIT_VIEWS, bases & _WRITE_API_VIEWS
        if not (edits or writes):
            continue
        assigned = _class_assignments(node)
        fields = assigned.get("fields")
        if edits and fields is not None and _is_all(fields.value):
            detail = f'{node.name} ({sorted(edits)[0]}) edits fields = "__all__" of the model'
            hits.append(_hit(fields, detail))
        for attribute in ("form_class", "serializer_class"):
            chosen = assigned.get(attribute)
            value = chosen.value if chosen is not None else None
            form = forms.get(value.id) if isinstance(value, ast.Name) else None
            if chosen is None or form is None:
                continue
            detail = f"{node.name} binds request data to {form.name} ({form.how})"
            hits.append(replace(_hit(chosen, detail), prefer=((form.line, form.line),)))
    return hits


def _hit(statement: ast.Assign, detail: str) -> PyHit:
    line = statement.lineno
    end = statement.end_lineno or line
    return PyHit("mass-assignment", line, end, _VIEW, detail, f"mass-assignment@view:{line}")


def _class_assignments(node: ast.ClassDef) -> dict[str, ast.Assign]:
    out: dict[str, ast.Assign] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = statement
    return out


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "__all__"
