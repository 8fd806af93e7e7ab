"""The Safer Maidstone Partnership demo: agencies, people, plans, priorities.

Facts come from the partnership's public papers (see shared/DOMAIN.md). People
are invented (role-named demo accounts); statuses and commentary are marked as
demo text. The 2017–18 plan is included so lineage into 2022–25 is visible.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from priorities.models import (
    PlanPeriod,
    Priority,
    PriorityLead,
    PriorityLink,
    PriorityStatus,
    Subgroup,
    SubgroupMember,
)
from smp.demo import DEMO_PASSWORD, upsert
from smp.models import Agency, Membership, Partnership, Role

AGENCIES = [
    # name, short name, responsible authority
    ("Maidstone Borough Council", "MBC", True),
    ("Kent County Council", "KCC", True),
    ("Kent Police", "Kent Police", True),
    ("Kent Fire and Rescue Service", "KFRS", True),
    ("Probation Service", "Probation", True),
    ("NHS Kent and Medway Integrated Care Board", "NHS K&M ICB", True),
    ("Change Grow Live", "CGL", False),
    ("Golding Homes", "Golding Homes", False),
    ("One Maidstone (Business Improvement District)", "One Maidstone", False),
]

# username, first, last, agency short name, roles
USERS = [
    ("cochair.council", "Alison", "Broom", "MBC", [Role.CO_CHAIR]),
    ("cochair.police", "Mark", "Hunt", "Kent Police", [Role.CO_CHAIR]),
    ("lead.soc", "Priya", "Shah", "Kent Police", [Role.LEAD]),
    ("lead.da", "Helen", "Morris", "MBC", [Role.LEAD]),
    ("lead.town", "Tom", "Okafor", "MBC", [Role.LEAD]),
    ("lead.cyp", "Sarah", "Lee", "KCC", [Role.LEAD]),
    ("lead.substance", "Dan", "Price", "CGL", [Role.LEAD]),
    ("officer", "Jo", "Bennett", "MBC", [Role.OFFICER]),
    ("partner", "Sam", "Clarke", "Golding Homes", [Role.PARTNER]),
    ("committee", "Cllr Pat", "Green", "MBC", [Role.COMMITTEE]),
    ("admin", "Chris", "Adams", "MBC", [Role.ADMIN]),
]

SUBGROUPS = [
    ("Serious & Organised Crime Panel", "Multi-agency panel tackling serious violence, "
     "organised crime groups and modern-day slavery."),
    ("Domestic Abuse Forum", "Partners working to reduce the harm caused by domestic abuse."),
    ("Town Centre Task Force", "Keeps Maidstone town centre safe by day and night."),
    ("District Contextual Safeguarding Meeting", "Safeguards children and young people "
     "at risk outside the home."),
]

PLAN_2022 = "Community Safety Partnership Plan 2022–25"
PLAN_2017 = "Community Safety Partnership Plan 2017–18 refresh"

# title, kind, subgroup, lead usernames (with agency), aim
PRIORITIES_2022 = [
    ("Protecting our communities against serious, violent and organised crime "
     "(including modern-day slavery)", Priority.Kind.PRIORITY,
     "Serious & Organised Crime Panel", ["lead.soc"],
     "To disrupt organised crime groups, reduce serious violence and protect victims "
     "of exploitation and modern-day slavery."),
    ("Reducing the harm caused by domestic abuse (including stalking)", Priority.Kind.PRIORITY,
     "Domestic Abuse Forum", ["lead.da", "lead.soc"],
     "To reduce the harm caused by domestic abuse and stalking, support victims and "
     "hold perpetrators to account."),
    ("Providing a safe town centre", Priority.Kind.PRIORITY, "Town Centre Task Force",
     ["lead.town"],
     "To make Maidstone town centre a safe place to live, work and visit, day and night."),
    ("Keeping children and young people safe", Priority.Kind.PRIORITY,
     "District Contextual Safeguarding Meeting", ["lead.cyp"],
     "To keep children and young people safe from exploitation and harm outside the home."),
    ("Tackling anti-social behaviour", Priority.Kind.THEME, None, [], ""),
    ("Improving public perception and confidence", Priority.Kind.THEME, None, [], ""),
    ("A public health approach to violence", Priority.Kind.THEME, None, [], ""),
    ("Substance misuse", Priority.Kind.THEME, None, ["lead.substance"],
     "To reduce the impact of drug and alcohol misuse on individuals and the local "
     "community, including underage drinking."),
    ("Mental health", Priority.Kind.THEME, None, [], ""),
    ("Reducing reoffending", Priority.Kind.THEME, None, [], ""),
]

PRIORITIES_2017 = [
    ("Organised Crime Groups (including modern slavery)", PRIORITIES_2022[0][0],
     PriorityLink.Kind.CONTINUED),
    ("Gangs and Child Sexual Exploitation", PRIORITIES_2022[3][0], PriorityLink.Kind.CONTINUED),
    ("Substance Misuse", "Substance misuse", PriorityLink.Kind.DEMOTED),
    ("Domestic Abuse and other violent crime", PRIORITIES_2022[1][0],
     PriorityLink.Kind.CONTINUED),
    ("Mental Health", "Mental health", PriorityLink.Kind.DEMOTED),
]

# Demo statuses: (year, status, commentary) for the named priorities.
STATUSES = [
    (2022, "on_track", "Demo commentary: actions delivered as planned this year."),
    (2023, "on_track", "Demo commentary: on track; see the action plan for detail."),
]


def load() -> Partnership:
    partnership = upsert(
        Partnership, {"slug": "maidstone"},
        {"name": "Safer Maidstone Partnership", "district": "Maidstone"},
    )
    agencies = {
        short: upsert(
            Agency, {"partnership": partnership, "name": name},
            {"short_name": short, "is_responsible_authority": statutory},
        )
        for name, short, statutory in AGENCIES
    }
    users = {}
    user_model = get_user_model()
    for username, first, last, agency, roles in USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(
                username, email=f"{username}@example.org", password=DEMO_PASSWORD,
                first_name=first, last_name=last,
            )
        users[username] = (user, agencies[agency])
        for role in roles:
            upsert(Membership, {"user": user, "partnership": partnership, "role": role},
                   {"agency": agencies[agency]})
    subgroups = {
        name: upsert(Subgroup, {"partnership": partnership, "name": name},
                     {"description": description})
        for name, description in SUBGROUPS
    }
    plan = upsert(PlanPeriod, {"partnership": partnership, "title": PLAN_2022},
                  {"start_year": 2022, "end_year": 2024, "is_published": True})
    old_plan = upsert(PlanPeriod, {"partnership": partnership, "title": PLAN_2017},
                      {"start_year": 2017, "end_year": 2017, "is_published": True})
    current = {}
    for order, (title, kind, subgroup, leads, aim) in enumerate(PRIORITIES_2022, start=1):
        priority = upsert(
            Priority, {"plan": plan, "title": title},
            {"partnership": partnership, "kind": kind, "order": order, "aim": aim,
             "subgroup": subgroups.get(subgroup)},
        )
        current[title] = priority
        for username in leads:
            user, agency = users[username]
            upsert(PriorityLead, {"priority": priority, "user": user}, {"agency": agency})
            if subgroup:
                upsert(SubgroupMember, {"subgroup": subgroups[subgroup], "user": user},
                       {"agency": agency, "is_chair": username == leads[0]})
        if kind == Priority.Kind.PRIORITY:
            for year, status, commentary in STATUSES:
                upsert(PriorityStatus, {"priority": priority, "year": year},
                       {"status": status, "commentary": commentary,
                        "set_by": users["cochair.council"][0]})
    for order, (title, successor, link_kind) in enumerate(PRIORITIES_2017, start=1):
        old = upsert(Priority, {"plan": old_plan, "title": title},
                     {"partnership": partnership, "kind": Priority.Kind.PRIORITY,
                      "order": order})
        upsert(PriorityLink, {"source": old, "target": current[successor]},
               {"kind": link_kind, "note": ""})
    return partnership
