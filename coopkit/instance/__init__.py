"""An instance folder: one cooperative's own deployment of coopkit.

``coopkit new-branch`` / ``new-member-coop`` generate it from the templates
(:mod:`coopkit.instance.generate`), ``coopkit serve --instance`` reads it
(:mod:`coopkit.instance.config`) and bootstraps its database at first start
(:mod:`coopkit.instance.bootstrap`). :class:`~coopkit.instance.spec.InstanceSpec`
is what both sides agree on, checked by one function.
"""
