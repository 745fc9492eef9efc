"""Funding's apply area: eligibility, applications, their files and the officers' list of them."""
