from analysis.retrieval import relevant_sections


def _docs(build):
    return [
        build.document(
            "Billing ADR",
            [
                ("Invoices", "invoices", "Changes to billing/invoice.py need two reviewers."),
                ("Refunds", "refunds", "Refunds go through the ledger service " * 3),
                ("Holidays", "holidays", "The office is closed in August."),
            ],
            kind="adr",
        ),
        build.document(
            "Standards",
            [
                ("Python", "python", "```warden-rule\nid: x\napplies-to: ['billing/**']\n```"),
                ("Frontend", "frontend", "React components use hooks."),
            ],
        ),
    ]


def test_sections_rank_by_paths_identifiers_and_rules_and_skip_unrelated(build):
    code = ["from ledger import post_refund", "def refund_invoice(invoice):", "    post_refund()"]
    context = build.context([build.file("billing/invoice.py", code)], documents=_docs(build))
    refs = relevant_sections(context)
    anchors = [ref.section.anchor for ref in refs]
    assert anchors[0] == "invoices"
    assert set(anchors) == {"invoices", "refunds", "python"}
    assert "mentions billing/invoice.py" in refs[0].reasons
    python = next(ref for ref in refs if ref.section.anchor == "python")
    assert "declares a rule for the changed paths" in python.reasons
    assert refs == sorted(refs, key=lambda ref: -ref.score)


def test_identifiers_alone_can_make_a_section_relevant(build):
    code = ["def settle(invoice):", "    return ledger.post(invoice)"]
    context = build.context([build.file("payments/settle.py", code)], documents=_docs(build))
    anchors = [ref.section.anchor for ref in relevant_sections(context)]
    assert "refunds" in anchors and "holidays" not in anchors


def test_results_are_bounded_by_count_and_characters(build):
    code = ["def refund_invoice(invoice):", "    ledger.post(invoice)"]
    context = build.context([build.file("billing/invoice.py", code)], documents=_docs(build))
    assert len(relevant_sections(context, limit=1)) == 1
    everything = relevant_sections(context)
    budget = len(everything[0].section.heading) + len(everything[0].section.text)
    bounded = relevant_sections(context, char_budget=budget)
    used = sum(len(r.section.heading) + len(r.section.text) for r in bounded)
    assert bounded[0] == everything[0] and used <= budget
    assert relevant_sections(context, char_budget=5) == []
    assert context.relevant_sections(limit=2) == everything[:2]
