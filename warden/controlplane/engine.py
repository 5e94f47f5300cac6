"""Engine creation and migrations for the control plane (SQLite WAL by default)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_control_plane_engine(url: str) -> sa.Engine:
    """An engine for `url`; SQLite files get WAL, foreign keys and a busy timeout."""
    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: sa.Engine) -> None:
    """Bring the control-plane schema to the newest migration (idempotent)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def connect_control_plane(url: str, *, migrate_schema: bool = True):  # type: ignore[no-untyped-def]
    """Open (and by default migrate) the control plane at `url`."""
    from warden.controlplane.store import ControlPlane

    engine = create_control_plane_engine(url)
    if migrate_schema:
        migrate(engine)
    return ControlPlane(engine)
