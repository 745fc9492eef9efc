"""The citizens' panel: a pool of volunteers, selections with quotas, and their published draws."""
