"""Debt collection: the dunning schedule of overdue invoices, late-payment interest, letters.

Each day (``coopkit collect``) every overdue invoice of a tenant takes the
next step of its dunning schedule whose day has come — a reminder, a second
reminder, a formal notice, then the list of invoices staff must send to
collection or write off — with a letter in the client's language queued as an
e-mail (``coopkit.outbox``). See docs/collection.md.
"""
