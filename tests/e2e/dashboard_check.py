"""What the dashboard shows, read through Streamlit's AppTest (env: WARDEN_DATA_DIR, user)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


def prioritised_titles() -> list[str]:
    """PR titles in the order the Prioritised PRs page lists them."""
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app.dataframe[0].value["Title"].tolist() if app.dataframe else []
