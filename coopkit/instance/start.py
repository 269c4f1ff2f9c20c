"""Starting an instance: settings from its folder, migrations, then the bootstrap.

Shared by ``coopkit serve --instance`` and ``coopkit bootstrap --instance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.instance.bootstrap import BootstrapReport, bootstrap
from coopkit.instance.config import Instance, load_instance
from coopkit.plugins import PluginHost
from coopkit.settings import Settings


@dataclass(frozen=True)
class Started:
    instance: Instance
    settings: Settings
    report: BootstrapReport


def start_instance(folder: Path, plugins: PluginHost, base: Settings | None = None) -> Started:
    """Read the folder, migrate its database and bootstrap it (one transaction)."""
    instance = load_instance(folder, plugins)
    settings = instance.settings(base)
    upgrade(settings)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as db, db.begin():
            report = bootstrap(db, plugins, instance)
    finally:
        engine.dispose()
    return Started(instance, settings, report)
