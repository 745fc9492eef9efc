"""Funding's open data area: 360Giving open data and where the money went (all public)."""
