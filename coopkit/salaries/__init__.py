"""Salary requests: a member asks to be paid for a work period on an activity.

The request is priced through the payroll pipeline (:mod:`coopkit.salaries.pricing`),
covered by the activity's money first and then by an advance of the mutual
guarantee fund, approved by staff (four eyes), and paid by a SEPA batch from
the payout queue before its due date (:mod:`coopkit.salaries.service`). See
docs/salaries.md.
"""
