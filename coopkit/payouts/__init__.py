"""Money the coop owes its members and pays by bank transfer: the payout queue.

Net salaries (coopkit.salaries) and approved expense claims (coopkit.expenses)
are queued here once each; SEPA payment batches (pain.001) take queued payouts
and mark them paid.
"""
