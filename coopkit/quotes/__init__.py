"""Quotes: offers to clients, sent with a signed link the client answers online.

- ``models``: quotes, their lines, the client's answer (final once written);
- ``service``: writing, sending, reading quotes;
- ``shown``: the quote as the client sees it, as canonical JSON and its SHA-256;
- ``link``: the signed link (itsdangerous, the instance secret);
- ``confirmation``: recording the answer, and ``confirmed_order_for`` for the
  guarantee fund.
"""
