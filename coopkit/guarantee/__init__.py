"""The mutual guarantee fund: its policy, its advances on unpaid invoices, their repayment and
the write-off of a lost invoice (docs/guarantee.md).

- ``policy``: the fund's dated rules (floor, limits, eligible countries);
- ``models``: advances, repayments, written-off invoices;
- ``advances``: what the fund can advance for a salary, and granting it;
- ``repayment``: a client's payment repays the advance on its invoice, once;
- ``write_off``: a lost invoice leaves the books, the fund absorbs its advance;
- ``report``, ``history``, ``stress``: the fund's figures read from the ledger
  (docs/guarantee-fund.md).
"""
