"""The mutual guarantee fund: its advances, and the figures read from the ledger."""
