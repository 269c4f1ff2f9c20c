"""Cooperatives on this installation: national branches, incubators, member coops."""
