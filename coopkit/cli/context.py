"""What every command shares: settings, plugins and a database session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from coopkit.db.engine import make_engine, make_session_factory
from coopkit.law import ProfileError
from coopkit.plugins import PluginError, PluginHost
from coopkit.settings import Settings, SettingsError


class Context:
    """What every command shares: settings and plugins, built once per invocation."""

    def __init__(self) -> None:
        try:
            self.settings = Settings.from_env()
        except SettingsError as error:
            raise click.ClickException(str(error)) from None

    def plugins(self) -> PluginHost:
        try:
            host = PluginHost.from_environment(profiles_dir=self.settings.profiles_dir)
            host.check()
        except (PluginError, ProfileError) as error:
            raise click.ClickException(str(error)) from None
        return host

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success; on any error nothing is written."""
        engine = make_engine(self.settings.database_url)
        db = make_session_factory(engine)()
        try:
            yield db
            db.commit()
        except Exception:
            db.rollback()
            raise
        finally:
            db.close()
            engine.dispose()


pass_context = click.make_pass_decorator(Context, ensure=True)
