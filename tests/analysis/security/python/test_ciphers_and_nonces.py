"""Broken ciphers from every import path (weak-cipher), and constant or reused IVs / nonces
(static-iv); fresh random nonces and counters stay quiet. The line marked `# <-` is where the
finding belongs."""

import pytest

from tests.analysis.security.python.scanning import marked_line, scan

WEAK_CIPHERS = {
    "rc4-through-cipher": """
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
        def stream(key):
            return Cipher(algorithms.ARC4(key), mode=None).encryptor()  # <-
        """,
    "decrepit-module-import": """
        from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
        from cryptography.hazmat.primitives.ciphers import Cipher
        def stream(key):
            return Cipher(ARC4(key), mode=None).encryptor()  # <-
        """,
    "decrepit-algorithms-namespace": """
        from cryptography.hazmat.decrepit.ciphers import algorithms
        from cryptography.hazmat.primitives.ciphers import Cipher, modes
        def seal(key, iv):
            return Cipher(algorithms.Blowfish(key), modes.CBC(iv)).encryptor()  # <-
        """,
    "decrepit-module-alias": """
        import cryptography.hazmat.decrepit.ciphers.algorithms as legacy
        def make(key):
            return legacy.SEED(key)  # <-
        """,
    "idea-from-primitives": """
        from cryptography.hazmat.primitives.ciphers.algorithms import IDEA
        def make(key):
            return IDEA(key)  # <-
        """,
    "pycryptodome-arc4": """
        from Crypto.Cipher import ARC4
        def make(key):
            return ARC4.new(key)  # <-
        """,
    "pycryptodomex-blowfish": """
        from Cryptodome.Cipher import Blowfish
        def make(key, iv):
            return Blowfish.new(key, Blowfish.MODE_CBC, iv)  # <-
        """,
    "pydes": """
        import pyDes
        def make(key):
            return pyDes.triple_des(key)  # <-
        """,
}

CIPHER_NEAR_MISSES = {
    "aes-through-cipher": """
        import os
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        def seal(key):
            return Cipher(algorithms.AES(key), modes.GCM(os.urandom(12))).encryptor()
        """,
    "chacha20-from-pycryptodome": """
        from Crypto.Cipher import ChaCha20_Poly1305
        def seal(key):
            return ChaCha20_Poly1305.new(key=key)
        """,
}

STATIC_NONCES = {
    "aesgcm-zero-nonce": """
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            return AESGCM(key).encrypt(b"\\x00" * 12, data, None)  # <-
        """,
    "local-nonce-constant": """
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            nonce = b"0123456789ab"
            return AESGCM(key).encrypt(nonce, data, None)  # <-
        """,
    "module-constant-through-an-aead-variable": """
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
        CONST_NONCE = bytes(12)
        def seal(key, data):
            aead = ChaCha20Poly1305(key)
            return aead.encrypt(CONST_NONCE, data, b"header")  # <-
        """,
    "aead-on-self-from-init": """
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        class Sealer:
            def __init__(self, key):
                self.aead = AESGCM(key)
            def seal(self, data):
                nonce = bytes.fromhex("000102030405060708090a0b")
                return self.aead.encrypt(nonce, data, None)  # <-
        """,
    "gcm-mode-literal": """
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        def seal(key):
            return Cipher(algorithms.AES(key), modes.GCM(b"fixed-nonce!")).encryptor()  # <-
        """,
    "cbc-mode-zero-bytes": """
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        def seal(key):
            return Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()  # <-
        """,
    "pycryptodome-gcm-nonce-keyword": """
        from Crypto.Cipher import AES
        def seal(key, data):
            return AES.new(key, AES.MODE_GCM, nonce=b"abcdefghijkl").encrypt_and_digest(data)  # <-
        """,
    "pycryptodome-chacha20-encoded-text": """
        from Crypto.Cipher import ChaCha20
        def seal(key, data):
            return ChaCha20.new(key=key, nonce="12345678".encode()).encrypt(data)  # <-
        """,
    "pynacl-box": """
        import nacl.secret
        def seal(key, message):
            box = nacl.secret.SecretBox(key)
            return box.encrypt(message, b"\\x01" * 24)  # <-
        """,
    "nonce-from-the-environment": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            return AESGCM(key).encrypt(os.environ["AES_NONCE"].encode(), data, None)  # <-
        """,
    "reused-across-a-comprehension": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal_all(key, messages):
            aead = AESGCM(key)
            nonce = os.urandom(12)
            return [aead.encrypt(nonce, m, None) for m in messages]  # <-
        """,
    "reused-in-a-for-loop": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal_all(key, messages, out):
            aead = AESGCM(key)
            nonce = os.urandom(12)
            for message in messages:
                out.append(aead.encrypt(nonce, message, None))  # <-
        """,
    "reused-for-two-messages": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
        def seal_pair(key, first, second):
            aead = ChaCha20Poly1305(key)
            nonce = os.urandom(12)
            head = aead.encrypt(nonce, first, None)
            tail = aead.encrypt(nonce, second, None)  # <-
            return nonce, head, tail
        """,
    "pycryptodome-in-a-loop": """
        from Crypto.Cipher import AES
        from Crypto.Random import get_random_bytes
        def seal_all(key, messages):
            iv = get_random_bytes(16)
            sealed = []
            for message in messages:
                cipher = AES.new(key, AES.MODE_CBC, iv=iv)  # <-
                sealed.append(cipher.encrypt(message))
            return sealed
        """,
}

NONCE_NEAR_MISSES = {
    "urandom-nonce": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            return AESGCM(key).encrypt(os.urandom(12), data, None)
        """,
    "secrets-nonce": """
        import secrets
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            nonce = secrets.token_bytes(12)
            return nonce + AESGCM(key).encrypt(nonce, data, None)
        """,
    "fresh-nonce-per-loop-iteration": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal_all(key, messages):
            aead = AESGCM(key)
            out = []
            for message in messages:
                nonce = os.urandom(12)
                out.append(nonce + aead.encrypt(nonce, message, None))
            return out
        """,
    "counter-nonce": """
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
        def seal_all(key, messages):
            aead = ChaCha20Poly1305(key)
            return [aead.encrypt(i.to_bytes(12, "big"), m, None) for i, m in enumerate(messages)]
        """,
    "decrypt-with-the-stored-nonce": """
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def open_all(key, nonce, blobs):
            aead = AESGCM(key)
            first = aead.decrypt(nonce, blobs[0], None)
            return first, aead.decrypt(nonce, blobs[1], None)
        """,
    "new-nonce-between-messages": """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal_pair(key, first, second):
            aead = AESGCM(key)
            nonce = os.urandom(12)
            head = aead.encrypt(nonce, first, None)
            nonce = os.urandom(12)
            return head, aead.encrypt(nonce, second, None)
        """,
    "siv-is-misuse-resistant": """
        from cryptography.hazmat.primitives.ciphers.aead import AESSIV
        def seal(key, data):
            return AESSIV(key).encrypt(data, [b"header"])
        """,
    "other-three-argument-encrypt": """
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def wrap(kms, data):
            return kms.encrypt("alias/app-key", data, {"purpose": "backup"})
        """,
    "fernet-encrypt": """
        from cryptography.fernet import Fernet
        def seal(key, data):
            return Fernet(key).encrypt(data)
        """,
}


@pytest.mark.parametrize("name", sorted(WEAK_CIPHERS))
def test_weak_cipher(build, name):
    source = WEAK_CIPHERS[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert ("weak-cipher", marked_line(source)) in hits


@pytest.mark.parametrize("name", sorted(STATIC_NONCES))
def test_constant_or_reused_nonce(build, name):
    source = STATIC_NONCES[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("static-iv", marked_line(source))]


@pytest.mark.parametrize("name", sorted({**CIPHER_NEAR_MISSES, **NONCE_NEAR_MISSES}))
def test_strong_ciphers_and_fresh_nonces_stay_quiet(build, name):
    source = {**CIPHER_NEAR_MISSES, **NONCE_NEAR_MISSES}[name]
    assert scan(build, source) == []


def test_environment_nonce_says_where_it_came_from(build):
    hits = scan(build, STATIC_NONCES["nonce-from-the-environment"])
    assert "read from configuration" in hits[0].detail


def test_retrying_the_same_message_is_not_nonce_reuse(build):
    source = """
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def send(key, data, transport):
            aead = AESGCM(key)
            nonce = os.urandom(12)
            for attempt in range(3):
                try:
                    transport.send(nonce + aead.encrypt(nonce, data, None))
                    return attempt
                except OSError:
                    continue
            ct = aead.encrypt(nonce, data, None)
            return nonce + ct
        """
    assert scan(build, source) == []
