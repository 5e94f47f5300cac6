"""Go: math/rand and math/rand/v2 drawing session ids, tokens, reset codes and passwords,
judged by the names around the call (variable, struct field, function) or, for a generic
helper, by its callers (a cookie named like a session). Jitter, sampling, shuffling and
crypto/rand stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

RAND = ["package session", 'import "math/rand"']
RAND_V2 = ["package session", 'import "math/rand/v2"']

HELPER = [
    'const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"',
    "func newID() string {",
    "\tb := make([]byte, 40)",
    "\tfor i := range b {",
    "\t\tb[i] = idAlphabet[rand.Intn(len(idAlphabet))]",
    "\t}",
    "\treturn string(b)",
    "}",
]


def _rand_lines(findings) -> list[int]:
    return [line for rule, line in rule_lines(findings) if rule == "insecure-randomness"]


@pytest.mark.parametrize(
    ("code", "line"),
    [
        # the helper's result becomes the value of the session cookie
        (
            [*RAND, *HELPER, "func (m *Manager) Start(w http.ResponseWriter) {", "\tid := newID()",
             '\thttp.SetCookie(w, &http.Cookie{Name: "sid", Value: id, HttpOnly: true,'
             " Secure: true})", "}"],
            7,
        ),
        # the helper's result is stored as a session's field
        (
            [*RAND, *HELPER, "func open(u int64) *Session {",
             "\treturn &Session{ID: newID(), User: u}", "}"],
            7,
        ),
        # the helper is called for a named token
        ([*RAND, *HELPER, "func issue() string {", "\tresetToken := newID()",
          "\treturn resetToken", "}"], 7),
        # the variable says what it is
        (["package auth", 'import mrand "math/rand"', "func code() string {",
          '\totp := fmt.Sprintf("%06d", mrand.Intn(1000000))', "\treturn otp", "}"], 4),
        # math/rand/v2 top-level functions
        ([*RAND_V2, "func NewPasswordResetCode() string {",
          '\treturn fmt.Sprintf("%08d", rand.IntN(100000000))', "}"], 4),
        # a struct field named for a secret
        ([*RAND, "func make() Invite {", "\treturn Invite{Token: rand.Int63()}", "}"], 4),
        # a generator made by the file
        ([*RAND, "var gen = rand.New(rand.NewSource(time.Now().UnixNano()))",
          "func apiKey() uint64 {", "\treturn gen.Uint64()", "}"], 5),
    ],
)  # fmt: skip
def test_math_rand_for_secrets(build, code, line):
    assert _rand_lines(review(build, "internal/session/manager.go", code)) == [line]


@pytest.mark.parametrize(
    "code",
    [
        # retry jitter inside a session-named function: the nearer name decides
        [*RAND, "func (m *Manager) refreshSession() {",
         "\tjitter := time.Duration(rand.Intn(500)) * time.Millisecond",
         "\ttime.Sleep(jitter)", "}"],
        # sampling and shuffling
        [*RAND_V2, "func sampled() bool {", "\treturn rand.Float64() < 0.01", "}"],
        [*RAND, "func deal(cards []Card) {",
         "\trand.Shuffle(len(cards), func(i, j int) { cards[i], cards[j] = cards[j], cards[i] })",
         "}"],
        # a generic helper whose caller stores it in a cookie not named like a session
        [*RAND, *HELPER, "func (m *Manager) Start(w http.ResponseWriter) {",
         "\tvariant := newID()", '\thttp.SetCookie(w, &http.Cookie{Name: "ab_variant",'
         " Value: variant})", "}"],
        # crypto/rand under the name rand, math/rand under an alias used elsewhere
        ["package auth", "import (", '\t"crypto/rand"', '\tmrand "math/rand"', ")",
         "func token() []byte {", "\tb := make([]byte, 32)", "\trand.Read(b)", "\treturn b",
         "}", "func pause() int {", "\treturn mrand.Intn(3)", "}"],
    ],
)  # fmt: skip
def test_math_rand_near_misses(build, code):
    assert _rand_lines(review(build, "internal/session/manager.go", code)) == []
