from pathlib import Path

import pytest

from warden.errors import SecretUnavailableError
from warden.secrets import resolve_secret, validate_secret_ref


def test_env_reference_resolves_without_revealing_value() -> None:
    secret = resolve_secret("env:HOOK", {"HOOK": "s3cr3t-value"})
    assert secret.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t" not in repr(secret) and "s3cr3t" not in str(secret)


def test_file_reference(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("abc123\n")
    assert resolve_secret(f"file:{path}").get_secret_value() == "abc123"


def test_missing_secret_error_names_the_reference_only() -> None:
    with pytest.raises(SecretUnavailableError) as info:
        resolve_secret("env:NOT_SET_ANYWHERE", {})
    assert "NOT_SET_ANYWHERE" in str(info.value)


@pytest.mark.parametrize("value", ["ghp_abcdef123456", "hunter2", "env:", "file:relative/path"])
def test_values_that_are_not_references_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        validate_secret_ref(value)
