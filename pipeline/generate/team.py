"""The seller's sales team: reps over regions, categories and languages.

The team depends only on the company (not on the generation seed), so a company's
profile stays the same whatever history is generated for it.
"""

from __future__ import annotations

import random
from typing import Any

from pipeline.generate.companies import Company
from pipeline.generate.world import read_yaml

TEAM_HEADER = ("rep_id", "name", "email", "regions", "categories", "languages", "seniority", "capacity_per_day", "active")


def build_team(company: Company) -> list[dict[str, Any]]:
    """Reps from `team.yaml`'s desks, named and given categories for this company."""
    plan = read_yaml("team.yaml")
    rng = random.Random(f"team:{company.key}")
    first_names = list(plan["first_names"])
    rng.shuffle(first_names)
    surnames = plan["surnames"]
    categories = [category.name for category in company.categories]
    reps = []
    for number, desk in enumerate(plan["desks"], start=1):
        first = first_names[number - 1]
        surname = rng.choice(surnames)
        if desk.get("categories") == "all":
            desk_categories = categories
        else:
            # Junior desks specialise in two or three product lines.
            desk_categories = rng.sample(categories, k=min(len(categories), desk.get("categories", 3)))
        reps.append(
            {
                "rep_id": f"{company.customer_prefix}-R{number:02d}",
                "name": f"{first} {surname}",
                "email": f"{first.lower()}.{surname.lower()}@{company.domain}",
                "regions": ";".join(desk["regions"]),
                "categories": ";".join(desk_categories),
                "languages": ";".join(desk["languages"]),
                "seniority": desk["seniority"],
                "capacity_per_day": desk["capacity"],
                "active": "true" if desk.get("active", True) else "false",
            }
        )
    return reps
