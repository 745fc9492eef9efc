"""Funding's assess area: the assessor pool, conflicts, scoring, moderation and the decision."""
