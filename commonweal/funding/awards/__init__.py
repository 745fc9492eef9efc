"""Funding's awards area: grant offers, acceptance, payments in tranches, monitoring reports."""
