"""NoSQL filters: a request value that may be an operator object (`{"$ne": null}`) is reported;
one made a primitive first (type guards in early-exit and block shapes, conversions, schema
validation, express-validator, operator-stripping middleware) stays quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "const express = require('express');",
    "const Invite = require('../models/invite');",
    "const router = express.Router();",
    "router.post('/invites/accept', async (req, res) => {",
]
CLOSE = ["  res.json({ ok: true });", "});"]


def _rules(build, body: list[str], header: list[str] | None = None):
    code = [*(header or []), *OPEN, *body, *CLOSE]
    return rule_lines(review(build, "src/routes/invites.js", code))


POSITIVES = [
    # the body's field goes straight into the filter
    ["  const { code } = req.body;", "  const invite = await Invite.findOne({ code: code });"],
    # a guard on another field does not cover this one
    [
        "  const { code, team } = req.body;",
        "  if (typeof team !== 'string') return res.status(400).end();",
        "  const invite = await Invite.findOne({ code: code });",
    ],
    # a type check that does not stop the request
    [
        "  const { code } = req.body;",
        "  if (typeof code !== 'string') console.warn('unexpected code type');",
        "  const invite = await Invite.findOne({ code: code });",
    ],
    # after an `if (typeof code === 'string') {...}` block the value is unchecked again
    [
        "  const { code } = req.body;",
        "  if (typeof code === 'string') {",
        "    console.info('code length', code.length);",
        "  }",
        "  const invite = await Invite.findOne({ code: code });",
    ],
    # `a && b` failing says nothing about `code` when only one side tests it
    [
        "  const code = req.query.code;",
        "  if (typeof code !== 'string' && req.query.strict) return res.status(400).end();",
        "  const invite = await Invite.findOne({ code: code });",
    ],
    # JSON.parse is not a schema, even in a file that imports zod
    [
        "  const filter = JSON.parse(req.query.filter);",
        "  const found = await Invite.find(filter);",
    ],
]


@pytest.mark.parametrize("body", POSITIVES)
def test_unchecked_request_value_in_a_filter_is_reported(build, body):
    rules = _rules(build, body, ["import { z } from 'zod';"])
    assert ("nosql-injection", len(OPEN) + 1 + len(body)) in rules, rules


NEAR_MISSES = [
    # early exit on a failed typeof test, combined with other checks by ||
    [
        "  const { code, email } = req.body;",
        "  if (typeof code !== 'string' || code.length !== 32 || !email) {",
        "    return res.status(400).json({ error: 'bad invite' });",
        "  }",
        "  const invite = await Invite.findOne({ code: code });",
    ],
    # the test written the other way round, on the member path itself
    [
        "  if ('string' !== typeof req.body.code) return res.sendStatus(400);",
        "  const invite = await Invite.findOne({ code: req.body.code });",
    ],
    # block shape: only used inside the branch where the test held
    [
        "  const code = req.body.code;",
        "  if (typeof code === 'string' && code.length === 32) {",
        "    const invite = await Invite.findOne({ code: code });",
        "  }",
    ],
    # else branch of a failed test
    [
        "  const code = req.body.code;",
        "  if (typeof code != 'string') {",
        "    res.status(400);",
        "  } else {",
        "    await Invite.deleteOne({ code: code });",
        "  }",
    ],
    # a number is a primitive too: either type passes
    [
        "  const seq = req.body.seq;",
        "  if (typeof seq !== 'number' && typeof seq !== 'string') throw new TypeError('seq');",
        "  const invite = await Invite.findOne({ seq: seq });",
    ],
    # conversions to a primitive
    ["  const code = String(req.body.code);", "  await Invite.findOne({ code: code });"],
    ["  const code = req.body.code.toString();", "  await Invite.findOne({ code: code });"],
    ["  const seq = Number(req.query.seq);", "  await Invite.findOne({ seq: seq });"],
    # an explicit $eq keeps an object a value
    ["  await Invite.findOne({ code: { $eq: req.body.code } });"],
    # a hash digest of the value
    [
        "  const digest = crypto.createHmac('sha256', KEY).update(req.body.code).digest('hex');",
        "  await Invite.findOne({ codeDigest: digest });",
    ],
    # ObjectId check before the lookup
    [
        "  const id = req.body.inviteId;",
        "  if (!mongoose.isValidObjectId(id)) return res.sendStatus(404);",
        "  await Invite.findOne({ _id: id });",
    ],
    # node's assert
    [
        "  const code = req.body.code;",
        "  assert.strictEqual(typeof code, 'string');",
        "  await Invite.findOne({ code: code });",
    ],
    # path parameters are always strings
    ["  await Invite.findOne({ team: req.params.team });"],
]


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_primitive_value_in_a_filter_stays_quiet(build, body):
    assert _rules(build, body) == []


VALIDATED = [
    (
        ["import { z } from 'zod';", "const Accept = z.object({ code: z.string().length(32) });"],
        ["  const { code } = Accept.parse(req.body);", "  await Invite.findOne({ code: code });"],
    ),
    (
        ["import { z } from 'zod';"],
        [
            "  const parsed = AcceptSchema.safeParse(req.body);",
            "  if (!parsed.success) return res.status(400).json(parsed.error);",
            "  await Invite.findOne({ code: parsed.data.code });",
        ],
    ),
    (
        ["const Joi = require('joi');"],
        [
            "  const { value, error } = acceptSchema.validate(req.body);",
            "  if (error) return res.status(400).end();",
            "  await Invite.findOne({ code: value.code });",
        ],
    ),
    (
        ["import * as yup from 'yup';"],
        [
            "  await acceptSchema.validate(req.body, { strict: true });",
            "  await Invite.findOne({ code: req.body.code });",
        ],
    ),
    (
        [
            "import { plainToInstance } from 'class-transformer';",
            "import { validateOrReject } from 'class-validator';",
        ],
        [
            "  const dto = plainToInstance(AcceptInviteDto, req.body);",
            "  await validateOrReject(dto);",
            "  await Invite.findOne({ code: dto.code });",
        ],
    ),
    (
        ["const scrub = require('mongo-sanitize');"],
        ["  const code = scrub(req.body.code);", "  await Invite.findOne({ code: code });"],
    ),
    (
        ["const mongoSanitize = require('express-mongo-sanitize');"],
        [
            "  const clean = mongoSanitize.sanitize(req.body);",
            "  await Invite.findOne({ code: clean.code });",
        ],
    ),
    (
        ["const mongoose = require('mongoose');", "mongoose.set('sanitizeFilter', true);"],
        ["  await Invite.findOne({ code: req.body.code });"],
    ),
]


@pytest.mark.parametrize(("header", "body"), VALIDATED)
def test_validated_or_sanitised_values_stay_quiet(build, header, body):
    assert _rules(build, body, header) == []


def test_validation_only_counts_with_a_validation_library_or_the_call(build):
    body = ["  const dto = plainToInstance(AcceptInviteDto, req.body);"]
    body.append("  await Invite.findOne({ code: dto.code });")
    assert _rules(build, body, ["import { plainToInstance } from 'class-transformer';"]) != []
    schema = ["  const { code } = acceptSchema.parse(req.body);"]
    schema.append("  await Invite.findOne({ code: code });")
    assert _rules(build, schema, ["const helpers = require('./helpers');"]) != []


def test_mongo_sanitize_name_clears_only_query_operators_not_html(build):
    body = ["  res.send('<p>' + scrub(req.body.note) + '</p>');"]
    rules = _rules(build, body, ["const scrub = require('mongo-sanitize');"])
    assert rules == [("xss", len(OPEN) + 2)]


def test_express_mongo_sanitize_counts_once_installed(build):
    header = ["const mongoSanitize = require('express-mongo-sanitize');"]
    body = ["  await Invite.findOne({ code: req.body.code });"]
    assert _rules(build, body, header) != []
    installed = [*header, "const app = express();", "app.use(mongoSanitize());"]
    assert _rules(build, body, installed) == []


EV_HEADER = ["const { body, validationResult } = require('express-validator');"]
EV_OPEN = [
    "const express = require('express');",
    "const router = express.Router();",
]


def _express_validator(build, chains: str, checks: list[str]):
    code = [
        *EV_HEADER,
        *EV_OPEN,
        f"router.post('/invites/accept', {chains}, async (req, res) => {{",
        *checks,
        "  const invite = await Invite.findOne({ email: req.body.email, code: req.body.code });",
        "  res.json(invite);",
        "});",
    ]
    return rule_lines(review(build, "src/routes/invites.js", code))


REJECTS = [
    "  const problems = validationResult(req);",
    "  if (!problems.isEmpty()) return res.status(422).json({ errors: problems.array() });",
]


def test_express_validator_typed_fields_stay_quiet(build):
    chains = "[body('email').isEmail(), body('code').isString()]"
    assert _express_validator(build, chains, REJECTS) == []
    assert _express_validator(build, chains, ["  validationResult(req).throw();"]) == []


def test_express_validator_untyped_or_unchecked_fields_are_reported(build):
    untyped = "body('email').isEmail(), body('code').isLength({ min: 6 })"
    assert [r for r, _ in _express_validator(build, untyped, REJECTS)] == ["nosql-injection"]
    unchecked = "body('email').isEmail(), body('code').isString()"
    assert [r for r, _ in _express_validator(build, unchecked, [])] == ["nosql-injection"]


def test_a_conditional_narrows_only_the_branch_its_type_test_guards(build):
    narrowed = ["  const code = typeof req.body.code === 'string' ? req.body.code : '';"]
    inverted = ["  const code = typeof req.body.code !== 'string' ? req.body.code : '';"]
    lookup = ["  const invite = await Invite.findOne({ code: code });"]
    line = len(OPEN) + 2
    assert _rules(build, [*narrowed, *lookup]) == []
    assert _rules(build, [*inverted, *lookup]) == [("nosql-injection", line)]
