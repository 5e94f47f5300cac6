"""Go: constant IVs and nonces are reported once, at the encryption; the decryption that
must use the same constant is reported only when the file does not encrypt, and a random IV
stays quiet even when another function has a constant of the same name."""

from tests.analysis.security.review import review, rule_lines

HEAD = [
    "package vault",
    "",
    'import ("crypto/aes"; "crypto/cipher"; "crypto/rand"; "io")',
    "",
]
SEAL = [
    "func seal(key, plain []byte) []byte {",
    "\tblock, _ := aes.NewCipher(key)",
    "\taead, _ := cipher.NewGCM(block)",
    "\treturn aead.Seal(nil, fixedNonce, plain, nil)",
    "}",
]
OPEN = [
    "func open(key, sealed []byte) ([]byte, error) {",
    "\tblock, _ := aes.NewCipher(key)",
    "\taead, _ := cipher.NewGCM(block)",
    "\treturn aead.Open(nil, fixedNonce, sealed, nil)",
    "}",
]
NONCE = ['var fixedNonce = []byte("vault-nonce1")', ""]


def _rules(build, lines: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "internal/vault/box.go", HEAD + lines))


def test_constant_nonce_reported_at_seal_not_at_open(build):
    assert _rules(build, NONCE + SEAL + [""] + OPEN) == [("static-iv", 10)]


def test_decrypt_only_file_with_a_constant_nonce_is_reported(build):
    assert _rules(build, NONCE + OPEN) == [("static-iv", 10)]


def test_cbc_decrypter_is_quiet_when_the_encrypter_carries_the_finding(build):
    code = [
        "func crypt(block cipher.Block, dst, src []byte, encrypt bool) {",
        '\tiv := []byte("0000000000000000")',
        "\tif encrypt {",
        "\t\tcipher.NewCBCEncrypter(block, iv).CryptBlocks(dst, src)",
        "\t\treturn",
        "\t}",
        "\tcipher.NewCBCDecrypter(block, iv).CryptBlocks(dst, src)",
        "}",
    ]
    assert _rules(build, code) == [("static-iv", 8)]


def test_random_iv_is_quiet_despite_a_same_named_constant_elsewhere(build):
    code = [
        "func legacyHeader() []byte {",
        '\tiv := []byte("header-v1-magic!")',
        "\treturn iv",
        "}",
        "",
        "func encrypt(block cipher.Block, plain []byte) []byte {",
        "\tiv := make([]byte, aes.BlockSize)",
        "\tif _, err := io.ReadFull(rand.Reader, iv); err != nil {",
        "\t\tpanic(err)",
        "\t}",
        "\tout := make([]byte, len(plain))",
        "\tcipher.NewCTR(block, iv).XORKeyStream(out, plain)",
        "\treturn append(iv, out...)",
        "}",
    ]
    assert _rules(build, code) == []
