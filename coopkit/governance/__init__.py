"""Democratic governance: general assemblies, resolutions, votes and their effects.

``effects`` is the registry of what an adopted resolution changes in the
cooperative's configuration (surplus distribution, data-use policy, fee rate,
guarantee-fund floor): a resolution names an effect and its payload, the
effect validates the payload when the resolution is drafted and applies it
when the resolution is adopted, with no manual step.
"""
