from analysis.criteria import modal_sentences, parse_criteria, split_atomic


def test_given_when_then_lines_form_one_scenario_per_given(build):
    ticket = build.ticket(
        "ENG-1",
        [
            "Given a locked account",
            "When the user logs in with the right password",
            "Then the response is HTTP 423",
            "Given an unlocked account",
            "When the user logs in",
            "Then the response is HTTP 200",
        ],
    )
    criteria = parse_criteria(ticket)
    assert [c.source for c in criteria] == ["scenario", "scenario"]
    assert criteria[0].text == (
        "Given a locked account, when the user logs in with the right password, "
        "then the response is HTTP 423"
    )
    assert criteria[1].text.endswith("then the response is HTTP 200")


def test_a_scenario_with_several_outcomes_gives_one_criterion_per_outcome(build):
    ticket = build.ticket(
        "ENG-2",
        [
            "Given a signed-in user",
            "And an export quota left",
            "When they POST /exports",
            "Then the API responds with 202",
            "And the body holds exportId",
            "But no email is sent yet",
        ],
    )
    context = "Given a signed-in user, and an export quota left, when they POST /exports, "
    assert [c.text for c in parse_criteria(ticket)] == [
        context + "then the API responds with 202",
        context + "then the body holds exportId",
        context + "then no email is sent yet",
    ]


def test_checklists_numbered_items_and_multiline_strings(build):
    ticket = build.ticket(
        "ENG-2",
        ["- [x] Admins can unlock an account", "1. Lockouts are audited\n2) Emails are sent"],
    )
    criteria = parse_criteria(ticket)
    assert [(c.text, c.source) for c in criteria] == [
        ("Admins can unlock an account", "checklist"),
        ("Lockouts are audited", "numbered"),
        ("Emails are sent", "numbered"),
    ]
    assert criteria[0].checked is True and criteria[1].checked is None


def test_conjunctions_split_only_between_two_requirements():
    assert split_atomic("the account is locked and an email is sent to the owner") == [
        "the account is locked",
        "an email is sent to the owner",
    ]
    assert split_atomic("email and password are required") == ["email and password are required"]
    assert split_atomic("Users can search and filter invoices") == [
        "Users can search and filter invoices"
    ]


def test_description_modal_sentences_when_no_list(build):
    ticket = build.ticket("ENG-3", []).model_copy(
        update={"description": "Background. The API must reject uploads over 10 MB. It was slow."}
    )
    assert [c.text for c in parse_criteria(ticket)] == ["The API must reject uploads over 10 MB"]
    assert [c.source for c in parse_criteria(ticket)] == ["description"]
    assert modal_sentences("Nothing to do here.") == []


def test_duplicate_criteria_are_kept_once(build):
    ticket = build.ticket("ENG-4", ["- [ ] Sessions expire", "* Sessions expire"])
    assert [c.text for c in parse_criteria(ticket)] == ["Sessions expire"]
