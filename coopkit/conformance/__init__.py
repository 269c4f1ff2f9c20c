"""The conformance kit: checks a country plugin runs in its own tests.

Each check takes a :class:`~coopkit.conformance.subject.Subject` (the host, the
country under test and the day taken as today) and returns the problems it
found, one sentence each, naming the plugin, the hook or parameter at fault,
what is wrong and how to fix it. A check that does not apply (an optional hook
the plugin leaves out) raises :class:`~coopkit.conformance.subject.NotApplicable`
with a reason that says how to add it.

Plugin authors do not call these directly: they subclass
:class:`coopkit.testing.CountryConformance`, which runs one test per check.
"""
