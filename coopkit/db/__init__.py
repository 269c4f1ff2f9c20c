"""Persistence: models' base, exact money columns, tenant scoping, migrations."""
