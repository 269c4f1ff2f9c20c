"""The double-entry ledger: every movement of money, balanced, immutable, per tenant.

- ``chart``: account types and the roles coopkit posts to; what plugins supply;
- ``models``: accounts, journal entries, their lines;
- ``books``: opening a tenant's books from its country's chart;
- ``posting``: ``post``, ``reverse``, ``debit``, ``credit``;
- ``balances``: running balances kept with every posting, sums of the lines, the invariants check;
- ``policy``: the tenant's fee and guarantee-fund contribution rates, dated;
- ``fees``: posting the activity's share of a payment, with fee and contribution;
- ``export``: the journal as CSV, and France's FEC.

See docs/ledger.md.
"""
