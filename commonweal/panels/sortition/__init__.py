"""The fair-selection engine for the citizens' panel: pure Python (numpy and HiGHS), no Django.

instance = Instance(people=read_people_csv(text), quotas=tuple(read_categories_csv(text)), k=30)
check = check_quotas(instance)            # which quotas conflict, and the smallest relaxation
distribution = select(instance)           # LEXIMIN: every volunteer's chance as equal as the quotas allow
panels = lottery(distribution, m=1000)    # a uniform lottery over 1,000 numbered panels to publish
chosen = panels[draw(panels, "028471")]   # the public draw from a published random number
"""

from commonweal.panels.sortition.distribution import Distribution
from commonweal.panels.sortition.engine import probability_levels, replacement_instance, select
from commonweal.panels.sortition.files import read_categories_csv, read_people_csv
from commonweal.panels.sortition.lottery import draw, lottery, lottery_digest
from commonweal.panels.sortition.model import Instance, Person, PoolError, Quota
from commonweal.panels.sortition.quotas import QuotaCheck, Relaxation, check_quotas

__all__ = [
    "Distribution",
    "Instance",
    "Person",
    "PoolError",
    "Quota",
    "QuotaCheck",
    "Relaxation",
    "check_quotas",
    "draw",
    "lottery",
    "lottery_digest",
    "probability_levels",
    "read_categories_csv",
    "read_people_csv",
    "replacement_instance",
    "select",
]
