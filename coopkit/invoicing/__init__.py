"""Invoicing: the coop as seller, clients, invoices and credit notes, payments."""
