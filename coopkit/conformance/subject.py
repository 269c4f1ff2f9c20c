"""What a conformance check looks at: one country served by one plugin, on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from coopkit.countries import Country
from coopkit.plugins import PluginHost


class NotApplicable(Exception):
    """The check does not apply to this plugin; the message says how to make it apply."""


@dataclass(frozen=True)
class Subject:
    """The plugin serving ``country`` in ``host``, checked as of ``today``."""

    host: PluginHost
    country: Country
    today: dt.date

    @classmethod
    def of(cls, host: PluginHost, code: str, today: dt.date | None = None) -> Subject:
        """Raises NoPluginForCountry or PluginError when no plugin (or two) serve ``code``."""
        return cls(host, host.country(code), today or dt.date.today())

    @property
    def code(self) -> str:
        return self.country.code

    @property
    def plugin(self) -> str:
        return self.country.plugin

    @cached_property
    def implemented(self) -> frozenset[str]:
        """The hooks the plugin serving the country implements."""
        return frozenset(
            hook for info in self.host.plugins() if info.name == self.plugin for hook in info.hooks
        )

    @property
    def first_day(self) -> dt.date:
        """The first day the plugin claims (``Country.covers_from``), today if it claims none."""
        claimed = self.country.covers_from
        return self.today if claimed is None else min(claimed, self.today)

    def says(self, where: str, what: str, fix: str) -> str:
        """A problem as the kit reports it: plugin, hook or parameter, fault, remedy."""
        return f"plugin {self.plugin!r} ({self.code}): {where}: {what}; {fix}"
