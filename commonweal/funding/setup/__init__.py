"""Funding's set-up area: funds, rounds, prospectuses, eligibility questions, form questions, criteria."""
