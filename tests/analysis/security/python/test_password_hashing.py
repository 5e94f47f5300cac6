"""Fast digests used as password hashes (weak-password-hash), and the digests that are not:
checksums, HMACs, real password hashes, pre-hashing before bcrypt, Pwned Passwords prefixes.
The line marked `# <-` is where the finding belongs."""

import pytest

from tests.analysis.security.python.scanning import marked_line, scan

POSITIVES = {
    "sha256-of-a-password-name": """
        import hashlib
        def register(user, password):
            user.secret_digest = hashlib.sha256(password.encode()).hexdigest()  # <-
        """,
    "sha512-of-pwd": """
        import hashlib
        def store(pwd):
            return hashlib.sha512(pwd.encode("utf-8")).hexdigest()  # <-
        """,
    "blake2b-of-a-passphrase-attribute": """
        import hashlib
        def keep(vault):
            vault.check = hashlib.blake2b(vault.passphrase.encode()).digest()  # <-
        """,
    "hashlib-new-with-a-named-algorithm": """
        import hashlib
        def digest(user_password):
            return hashlib.new("sha3_256", user_password.encode()).hexdigest()  # <-
        """,
    "salted-sha256-is-still-fast": """
        import hashlib
        def salted(salt, new_password):
            return hashlib.sha256(salt + new_password.encode()).hexdigest()  # <-
        """,
    "a-bare-pin": """
        import hashlib
        def save_pin(account, pin):
            account.pin_check = hashlib.sha256(pin.encode()).hexdigest()  # <-
        """,
    "flows-from-a-form-field": """
        import hashlib
        def signup(form):
            chosen = form["password"]
            encoded = chosen.strip().encode()
            return hashlib.sha256(encoded).hexdigest()  # <-
        """,
    "wtforms-field-data": """
        import hashlib
        def signup(form):
            return hashlib.sha1(form.password.data.encode()).hexdigest()  # <-
        """,
    "hash-object-updated-with-a-password": """
        import hashlib
        def digest(salt, password):
            h = hashlib.sha256()
            h.update(salt)
            h.update(password.encode())  # <-
            return h.hexdigest()
        """,
    "pycryptodome-hash": """
        from Crypto.Hash import SHA256
        def digest(password):
            return SHA256.new(password.encode()).hexdigest()  # <-
        """,
    "stored-in-a-password-hash-field": """
        import hashlib
        def change(user, raw):
            user.password_hash = hashlib.sha256(raw.encode()).hexdigest()  # <-
        """,
    "stored-through-a-variable": """
        import hashlib
        def change(user, raw):
            digest = hashlib.sha384(raw.encode()).hexdigest()  # <-
            user.hashed_password = digest
        """,
    "stored-as-a-keyword": """
        import hashlib
        def create(User, raw):
            return User(name="x", password=hashlib.sha256(raw.encode()).hexdigest())  # <-
        """,
    "parameter-of-a-password-hashing-function": """
        import hashlib
        def hash_password(raw, salt):
            return hashlib.sha256(salt + raw.encode()).hexdigest()  # <-
        """,
    "request-data-in-a-route": """
        import hashlib
        from flask import Flask, request
        app = Flask(__name__)
        @app.post("/signup")
        def signup():
            secret_word = request.form["password"]
            return hashlib.sha256(secret_word.encode()).hexdigest()  # <-
        """,
}

NEAR_MISSES = {
    "file-checksum": """
        import hashlib
        def checksum(file_bytes):
            return hashlib.sha256(file_bytes).hexdigest()
        """,
    "hmac-keyed-by-a-secret": """
        import hashlib, hmac
        def sign(secret, body):
            return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        """,
    "pbkdf2": """
        import hashlib
        def derive(password, salt):
            return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
        """,
    "scrypt": """
        import hashlib
        def derive(password, salt):
            return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
        """,
    "prehash-before-bcrypt-inline": """
        import base64, hashlib, bcrypt
        def store(password):
            return bcrypt.hashpw(base64.b64encode(hashlib.sha256(password.encode()).digest()),
                                 bcrypt.gensalt())
        """,
    "prehash-before-bcrypt-through-a-variable": """
        import base64, hashlib, bcrypt
        def store(password):
            prehashed = base64.b64encode(hashlib.sha256(password.encode()).digest())
            return bcrypt.hashpw(prehashed, bcrypt.gensalt())
        """,
    "pwned-passwords-range-query": """
        import hashlib, requests
        def breached(password):
            digest = hashlib.sha1(password.encode()).hexdigest().upper()
            reply = requests.get("https://api.pwnedpasswords.com/range/" + digest[:5])
            return digest[5:] in reply.text
        """,
    "api-token-at-rest": """
        import hashlib
        def store(api_token, client_secret):
            return hashlib.sha256(api_token.encode()).hexdigest(), hashlib.sha256(
                client_secret.encode()).hexdigest()
        """,
    "password-reset-token": """
        import hashlib
        def store(password_reset_token):
            return hashlib.sha256(password_reset_token.encode()).hexdigest()
        """,
    "session-key-from-the-stored-hash": """
        import hashlib
        def session_auth_hash(user):
            return hashlib.sha256(user.password_hash.encode()).hexdigest()
        """,
    "random-unusable-password": """
        import hashlib, os
        def disable(user):
            user.password = hashlib.sha256(os.urandom(32)).hexdigest()
        """,
    "reset-flow-hashes-its-token": """
        import hashlib
        def reset_password(user, token):
            return hashlib.sha256(token.encode()).hexdigest() == user.reset_digest
        """,
    "signature-over-secret-and-body": """
        import hashlib
        def sign(secret, body):
            return hashlib.sha256(secret.encode() + body).hexdigest()
        """,
    "digest-of-a-kdf-output": """
        import hashlib
        def fingerprint(password, salt):
            key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
            return hashlib.sha256(key).hexdigest()
        """,
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_fast_hash_of_a_password_is_reported(build, name):
    source = POSITIVES[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("weak-password-hash", marked_line(source))]


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_other_digests_stay_quiet(build, name):
    assert [h.rule_id for h in scan(build, NEAR_MISSES[name])] == []


def test_broken_digest_of_other_data_is_still_a_weak_hash(build):
    source = "import hashlib\ndef etag(body):\n    return hashlib.md5(body).hexdigest()\n"
    assert [(h.rule_id, h.line) for h in scan(build, source)] == [("weak-hash", 3)]


def test_one_finding_for_a_broken_hash_object_fed_a_password(build):
    source = """
        import hashlib
        def digest(password):
            h = hashlib.md5()
            h.update(password.encode())  # <-
            return h.hexdigest()
        """
    hits = scan(build, source)
    assert [(h.rule_id, h.line) for h in hits] == [("weak-password-hash", marked_line(source))]
    assert "md5 of password" in hits[0].detail


def test_only_the_added_line_is_reported(build):
    before = """
        import hashlib
        def checksum(data):
            return hashlib.sha256(data).hexdigest()
        """
    after = """
        import hashlib
        def checksum(data):
            return hashlib.sha256(data).hexdigest()
        def store(user, password):
            user.password_hash = hashlib.sha256(password.encode()).hexdigest()  # <-
        """
    hits = scan(build, after, before=before)
    assert [(h.rule_id, h.line) for h in hits] == [("weak-password-hash", marked_line(after))]
