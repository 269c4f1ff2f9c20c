"""Expense claims: a member's receipts, the VAT the coop recovers, four-eyes approval."""
