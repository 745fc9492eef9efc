"""Funding's sources area: external funding, match funding, leverage, community needs, pledges."""
