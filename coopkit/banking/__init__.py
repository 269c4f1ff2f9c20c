"""Bank statements: importing them (CAMT.053, CSV), matching their lines to invoices, the queue.

- :mod:`coopkit.banking.models` — statements and their lines, as stored;
- :mod:`coopkit.banking.camt` and :mod:`coopkit.banking.csv_format` — the parsers, which
  only read (a file in, a :class:`coopkit.banking.parsed.ParsedStatement` out);
- :mod:`coopkit.banking.importing` — one file, one transaction: stored, matched, or refused;
- :mod:`coopkit.banking.matching` — which invoice a credit line pays, or why it waits;
- :mod:`coopkit.banking.queue` — the lines that wait for staff, and what staff do with them.
"""
