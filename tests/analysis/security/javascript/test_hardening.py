"""JavaScript/TypeScript checks without taint: crypto, randomness, TLS, JWT, cookies, CORS,
cleartext credentials, ReDoS literals and the missing auth guard."""

import pytest

from tests.analysis.security.review import review, rule_lines

POSITIVES = [
    ("const c = crypto.createCipheriv('des-cbc', key, iv);", "weak-cipher"),
    ("const c = crypto.createCipheriv('aes-256-ecb', key, null);", "ecb-mode"),
    ("const c = crypto.createCipheriv('aes-256-cbc', key, Buffer.alloc(16, 0));", "static-iv"),
    ("const kp = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });", "weak-key-size"),
    ("const resetToken = Math.random().toString(36).slice(2);", "insecure-randomness"),
    ("const agent = new https.Agent({ rejectUnauthorized: false });", "tls-verification-disabled"),
    (
        "const claims = jwt.verify(token, key, { algorithms: ['none', 'HS256'] });",
        "jwt-none-algorithm",
    ),
    ("const claims = jwt.decode(req.headers.authorization);", "jwt-verification-disabled"),
    ("res.cookie('sid', id, { httpOnly: false, secure: true });", "insecure-cookie"),
    ("res.cookie('session', id);", "insecure-cookie"),
    ("app.use(session({ secret: s, cookie: { secure: false } }));", "insecure-cookie"),
    ("app.use(cors({ origin: '*', credentials: true }));", "permissive-cors"),
    ("const api = 'http://admin:hunter22@billing.internal/api';", "cleartext-transport"),
    ("const EMAIL = /^([a-zA-Z0-9]+)*@example\\.com$/;", "redos"),
    ("const hash = crypto.createHash('md5').update(password).digest('hex');", "weak-password-hash"),
]

NEAR_MISSES = [
    "const c = crypto.createCipheriv('aes-256-gcm', key, crypto.randomBytes(12));",
    "const kp = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });",
    "const jitter = Math.random() * 100;",
    "const agent = new https.Agent({ ca: fs.readFileSync('ca.pem') });",
    "const claims = jwt.verify(token, key, { algorithms: ['RS256'] });",
    "res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'lax' });",
    "res.cookie('theme', 'dark');",
    "app.use(cors({ origin: ['https://app.example.com'] }));",
    "const api = 'http://localhost:8080/api';",
    "const ID = /^[a-z0-9-]+$/;",
    "const etag = crypto.createHash('sha256').update(body).digest('hex');",
]


@pytest.mark.parametrize(("line", "rule_id"), POSITIVES)
def test_reported(build, line, rule_id):
    assert (rule_id, 1) in rule_lines(review(build, "src/security.js", [line]))


@pytest.mark.parametrize("line", NEAR_MISSES)
def test_quiet(build, line):
    assert rule_lines(review(build, "src/security.js", [line])) == []


def test_jwt_decode_next_to_verify_is_quiet(build):
    code = [
        "function claims(token) {",
        "  jwt.verify(token, KEY, { algorithms: ['RS256'] });",
        "  return jwt.decode(token, { complete: true });",
        "}",
    ]
    assert rule_lines(review(build, "src/auth.js", code)) == []


ROUTES = [
    "const router = express.Router();",
    "router.get('/orders', requireAuth, list);",
    "router.get('/orders/:id', requireAuth, show);",
    "router.post('/orders', requireAuth, create);",
]


def test_route_without_the_sibling_guard(build):
    after = [*ROUTES, "router.delete('/orders/:id', destroy);", "router.get('/health', health);"]
    findings = review(build, "src/orders.js", after, ROUTES)
    assert rule_lines(findings) == [("missing-auth-guard", 5)]
    assert "requireAuth" in findings[0].message


def test_router_wide_guard_covers_new_routes(build):
    before = ["const router = express.Router();", "router.use(requireAuth);", *ROUTES[1:]]
    after = [*before, "router.delete('/orders/:id', destroy);"]
    assert rule_lines(review(build, "src/orders.js", after, before)) == []
