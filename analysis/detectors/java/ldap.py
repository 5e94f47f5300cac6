"""LDAP search filters built from request data (CWE-90): JNDI and Spring LDAP.

- JNDI `DirContext.search(name, filter, controls)`: the filter is the second argument.
- Spring LDAP `LdapTemplate.search/searchForObject/searchForContext/authenticate(base,
  filter, ...)` take the filter as a plain string, unescaped; so does
  `LdapQueryBuilder.query()...filter(String)`, documented as a hard-coded filter that is
  neither validated nor escaped.

Safe forms stay quiet: `query().where("uid").is(x)` and `filter(format, params...)` encode
their values, `LdapEncoder.filterEncode(x)` and the filter classes (`EqualsFilter`,
`LikeFilter`, ...) escape them (see the sanitisers in `spec`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.java.spec import arguments, method_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_TEMPLATE_METHODS = frozenset({"search", "searchForObject", "searchForContext", "authenticate"})
_QUERY_CHAIN = re.compile(r"^(?:LdapQueryBuilder\.)?query\(\)")


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and "getenv" not in fact.source


def ldap_filter(walk: TaintWalk, call: Node) -> list[Hit]:
    """Request data reaching an LDAP filter string."""
    if call.type != "method_invocation":
        return []
    name = method_name(call)
    args = arguments(call)
    spring = b"org.springframework.ldap" in walk.parsed.source
    target: Node | None = None
    if name in _TEMPLATE_METHODS and len(args) >= 2:
        target = args[1]
    elif name == "filter" and len(args) == 1 and spring:
        receiver = call.child_by_field_name("object")
        if receiver is not None and _QUERY_CHAIN.match(re.sub(r"\s+", "", text(receiver))):
            target = args[0]
    if target is None:
        return []
    fact = walk.tainted(target, "ldap")
    if not _request(fact) or fact is None:
        return []
    looks_like_filter = "(" in text(target) or "filter" in fact.marks
    template_call = spring and len(args) >= 3  # (base, filter, mapper / handler / password)
    if name != "filter" and not looks_like_filter and not template_call:
        return []
    return [walk.hit("ldap-injection", call, 0.85, f"{fact.source} reaches the LDAP filter", fact)]
