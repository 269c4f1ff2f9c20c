"""Payslips: issued from the payroll engine, stored with the law they used, final once issued."""
