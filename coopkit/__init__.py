"""coopkit: the software a shared enterprise of freelancers needs to run.

A country plugin needs one import::

    from coopkit import hookimpl
"""

from coopkit.hookspecs import hookimpl

__all__ = ["__version__", "hookimpl"]
__version__ = "0.1.0"
