import pytest

from analysis.files import is_test_path


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_login.py",
        "src/__tests__/cart.test.tsx",
        "pkg/auth/login_test.go",
        "src/test/java/LoginTests.java",
        "web/cart.spec.js",
    ],
)
def test_test_files_are_recognised(path: str) -> None:
    assert is_test_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "app/api/webhooks/test/route.ts",
        "src/app/test/page.tsx",
        "pages/api/test/ping.js",
        "services/latest/handler.py",
    ],
)
def test_route_files_and_lookalikes_are_code(path: str) -> None:
    assert not is_test_path(path)
