"""Counts followed by a preposition, method-prefixed Go routes, statuses named by helpers
(`http.NotFound`, `NotFoundException`), 500 as a catch-all, response keys renamed from the
ticket's field, and the words code uses for a ticket's words as evidence."""

import pytest

from analysis.detectors.requirements import RequirementsReviewer


def _review(build, files, criteria, title="Cards"):
    ticket = build.ticket("PAY-9", criteria, title=title)
    context = build.context(files, tickets=[ticket])
    reviewer = RequirementsReviewer()
    return reviewer.review(context, []), reviewer.verdicts(context)


def _found(findings):
    return [(f.rule_id, f.file_path, f.start_line) for f in findings]


# --- a count whose noun is followed by a preposition ------------------------------------

PIN = "After 3 wrong PIN entries during one session the card is blocked"


@pytest.mark.parametrize(("limit", "drift"), [("3", False), ("6", True)])
def test_count_before_a_preposition_is_compared(build, limit, drift):
    code = [f"MAX_WRONG_PIN_ENTRIES = {limit}", "", "def block(card):", "    card.blocked = True"]
    findings, [verdict] = _review(build, [build.file("cards/pin.py", code)], [PIN])
    if drift:
        assert _found(findings) == [("requirement-contradicted", "cards/pin.py", 1)]
        assert "says 3" in findings[0].message and "uses 6" in findings[0].message
    else:
        assert findings == []
        assert verdict.verdict == "met"


# --- Go 1.22 ServeMux patterns with a method --------------------------------------------

REFUNDS = "Expose `POST /api/v3/orders/{id}/refunds` for support agents"


def _mux(pattern: str) -> list[str]:
    return [
        "package orders",
        "",
        "func (h *Handler) Routes(mux *http.ServeMux) {",
        f'\tmux.HandleFunc("{pattern}", h.refund)',
        "}",
    ]


def test_method_prefixed_route_in_another_version_contradicts(build):
    file = build.file("orders/routes.go", _mux("POST /api/v2/orders/{id}/refunds"))
    findings, [verdict] = _review(build, [file], [REFUNDS])
    assert _found(findings) == [("requirement-contradicted", "orders/routes.go", 4)]
    assert verdict.verdict == "not_met"


def test_method_prefixed_route_as_specified_is_quiet(build):
    file = build.file("orders/routes.go", _mux("POST /api/v3/orders/{id}/refunds"))
    findings, _ = _review(build, [file], [REFUNDS])
    assert findings == []


# --- statuses named by helpers; 500 is a catch-all ---------------------------------------

HIDDEN = "Return 404 when the order belongs to another customer"


def _go_handler(denied: str) -> list[str]:
    return [
        "func (h *Handler) refund(w http.ResponseWriter, r *http.Request) {",
        '\torder, err := h.orders.Get(r.Context(), r.PathValue("id"))',
        "\tif err != nil || order.CustomerID != CustomerFrom(r).ID {",
        f"\t\t{denied}",
        "\t\treturn",
        "\t}",
        "\tif err := h.refunds.Create(r.Context(), order); err != nil {",
        '\t\thttp.Error(w, "could not refund the order", http.StatusInternalServerError)',
        "\t\treturn",
        "\t}",
        "}",
    ]


def test_not_found_helper_is_a_404_and_a_500_elsewhere_is_no_contradiction(build):
    file = build.file("orders/refund.go", _go_handler("http.NotFound(w, r)"))
    findings, [verdict] = _review(build, [file], [HIDDEN])
    assert findings == []
    assert verdict.verdict == "met"


def test_a_500_for_an_unexpected_failure_does_not_contradict_a_404(build):
    file = build.file("orders/refund.go", _go_handler("h.respondMissing(w)"))
    findings, _ = _review(build, [file], [HIDDEN])
    assert "requirement-contradicted" not in [f.rule_id for f in findings]


def test_another_4xx_for_the_criterion_case_contradicts(build):
    denied = 'http.Error(w, "not your order", http.StatusForbidden)'
    file = build.file("orders/refund.go", _go_handler(denied))
    findings, _ = _review(build, [file], [HIDDEN])
    assert _found(findings) == [("requirement-contradicted", "orders/refund.go", 4)]
    assert "http.StatusForbidden" in findings[0].message


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("orders/refund.ts", "    throw new NotFoundException(`order ${id}`);"),
        ("orders/views.py", "    raise Http404('order')"),
        ("orders/Refunds.java", "    return ResponseEntity.notFound().build();"),
    ],
)
def test_status_named_by_an_exception_or_builder_is_evidence(build, path, line):
    code = ["if (order.customerId !== customer.id) {", line, "}"]
    findings, [verdict] = _review(build, [build.file(path, code)], [HIDDEN])
    assert findings == []
    assert verdict.verdict in ("met", "needs_human")
    assert any(ref.endswith(":2") for ref in verdict.evidence)


def test_a_503_still_contradicts_a_429(build):
    code = [
        "func Throttle(w http.ResponseWriter, r *http.Request) {",
        '\tif !bucket.Allow(r.Header.Get("X-Client")) {',
        "\t\tw.WriteHeader(http.StatusServiceUnavailable)",
        "\t}",
        "}",
    ]
    criterion = "A client over its request quota is throttled with 429"
    findings, _ = _review(build, [build.file("api/throttle.go", code)], [criterion])
    assert _found(findings) == [("requirement-contradicted", "api/throttle.go", 3)]


# --- a ticket field renamed in the response ----------------------------------------------

CREATED = "`POST /api/invites` returns 201 with `inviteUrl` and `createdAt`"


def _express(*body: str) -> list[str]:
    return [
        "invitesRouter.post('/api/invites', async (req, res) => {",
        "  const createdAt = new Date();",
        "  const inviteUrl = `${base}/join/${token}`;",
        *body,
        "});",
    ]


def test_response_key_renamed_from_the_ticket_field_contradicts(build):
    code = _express(
        "  await invites.insert({ token, createdAt });",
        "  return res.status(201).json({",
        "    inviteUrl,",
        "    created_at: createdAt.toISOString(),",
        "  });",
    )
    findings, [verdict] = _review(build, [build.file("routes/invites.ts", code)], [CREATED])
    assert _found(findings) == [("requirement-contradicted", "routes/invites.ts", 7)]
    assert "`created_at`" in findings[0].message and "`createdAt`" in findings[0].message
    assert verdict.verdict == "not_met"


def test_snake_case_column_next_to_the_ticket_key_in_the_response_is_quiet(build):
    code = _express(
        "  await db('invites').insert({ token, created_at: createdAt });",
        "  return res.status(201).json({ inviteUrl, createdAt: createdAt.toISOString() });",
    )
    findings, _ = _review(build, [build.file("routes/invites.ts", code)], [CREATED])
    assert findings == []


def test_python_response_renaming_the_ticket_field_contradicts(build):
    criterion = "The listing response includes `next_page_token`"
    code = [
        "@router.get('/orders')",
        "def list_orders(page_token: str | None = None):",
        "    rows, next_page_token = store.page(page_token)",
        '    return {"orders": rows, "nextPageToken": next_page_token}',
    ]
    findings, _ = _review(build, [build.file("orders/api.py", code)], [criterion])
    assert _found(findings) == [("requirement-contradicted", "orders/api.py", 4)]


def test_internal_variable_spelled_otherwise_is_no_rename(build):
    criterion = "The listing response includes `next_page_token`"
    code = [
        "def list_orders(page_token=None):",
        "    rows, nextPageToken = store.page(page_token)",
        '    return {"orders": rows, "next_page_token": nextPageToken}',
    ]
    findings, _ = _review(build, [build.file("orders/api.py", code)], [criterion])
    assert findings == []


# --- the words code uses for a ticket's words --------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        "def list_invoices(per_page: int = 25, cursor: str | None = None):",
        "def list_invoices(limit: int = Query(25, le=100)):",
    ],
)
def test_page_size_default_stated_as_a_limit_is_evidence(build, signature):
    code = [signature, "    return repo.invoices(page_size=None)"]
    findings, [verdict] = _review(
        build, [build.file("billing/api.py", code)], ["Default page size is 25"]
    )
    assert findings == []
    assert verdict.verdict == "met"


def test_page_size_without_any_evidence_is_still_not_evidenced(build):
    code = ["def greeting(name):", "    return f'hello {name}'"]
    findings, [verdict] = _review(
        build, [build.file("billing/hello.py", code)], ["Default page size is 25"]
    )
    assert [f.rule_id for f in findings] == ["requirement-not-evidenced"]
    assert verdict.verdict == "not_met"


INVITES = "Sending a new invite link invalidates earlier links for that email"


def test_revoking_previous_tokens_is_evidence_of_invalidating_links(build):
    code = [
        "def send_invite(email):",
        "    invite_tokens.revoke_for(email)",
        "    token = invite_tokens.create(email)",
        "    mailer.send_invite(email, token)",
    ]
    findings, [verdict] = _review(build, [build.file("invites/service.py", code)], [INVITES])
    assert findings == []
    assert verdict.verdict == "met"


def test_unrelated_change_does_not_evidence_invalidating_links(build):
    code = ["THEME_COLOURS = {'primary': '#0044cc'}"]
    findings, [verdict] = _review(build, [build.file("ui/theme.py", code)], [INVITES])
    assert [f.rule_id for f in findings] == ["requirement-not-evidenced"]
    assert verdict.verdict == "not_met"
