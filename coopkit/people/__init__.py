"""People: user accounts, their memberships in cooperatives and their roles."""
