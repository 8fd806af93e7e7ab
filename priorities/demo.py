"""The Safer Maidstone Partnership demo: agencies, people, plans, priorities.

Facts come from the partnership's public papers (see shared/DOMAIN.md). People
are invented (role-named demo accounts); statuses and commentary are marked as
demo text.

The earlier history is one plan period of annual refreshes, 2015–16 to 2017–18:
the papers give the 2015–16 list and the 2017–18 list (with its cross-cutting
themes) and what happened between them: road safety dropped in 2017 ("no direct
resources, powers or influence"), Community Resilience split into Organised Crime
Groups and Gangs & CSE, ASB and reducing re-offending demoted to a cross-cutting
theme. The 2016–17 list is not in the papers: the 2015–16 priorities run on until
the 2017 refresh, and Community Resilience (not in the 2015–16 list, split in 2017)
is shown from 2016–17. The two violent-crime priorities of 2015–16 merging into
"Domestic Abuse and other violent crime", and the links from 2017–18 into the
2022–25 plan, follow the titles (e.g. Domestic abuse → Reducing the harm caused by
domestic abuse); they are the demo's reading, not quoted decisions.
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
PLAN_2015 = "Community Safety Partnership Plan 2015–18 (annual refreshes)"
# The one-year plan period of earlier versions of this demo, replaced by PLAN_2015.
FORMER_PLAN_2017 = "Community Safety Partnership Plan 2017–18 refresh"

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

P, T = Priority.Kind.PRIORITY, Priority.Kind.THEME
DROPPED_ROAD_SAFETY = ("Dropped at the 2017–18 refresh: the partnership has no direct "
                       "resources, powers or influence over road safety.")

# The 2015–18 plan: title, kind, first year, year it no longer runs (None: to the end),
# why it ended (only for a priority dropped without a successor).
PRIORITIES_2015 = [
    ("Anti-social behaviour (ASB)", P, 2015, 2017, ""),
    ("Reducing re-offending", P, 2015, 2017, ""),
    ("Road safety (killed and seriously injured)", P, 2015, 2017, DROPPED_ROAD_SAFETY),
    ("Substance misuse", P, 2015, 2018, ""),
    ("Violent crime – domestic abuse", P, 2015, 2017, ""),
    ("Violent crime – night-time economy", P, 2015, 2017, ""),
    ("Community Resilience", P, 2016, 2017, ""),
    ("Organised Crime Groups (including modern slavery)", P, 2017, 2018, ""),
    ("Gangs and Child Sexual Exploitation", P, 2017, 2018, ""),
    ("Domestic Abuse and other violent crime", P, 2017, 2018, ""),
    ("Mental Health", P, 2017, 2018, ""),
    ("ASB and Reducing Reoffending", T, 2017, 2018, ""),
    ("Identifying Vulnerabilities", T, 2017, None, ""),
    ("Prevent and Radicalisation", T, 2017, None, ""),
]

# Lineage: (earlier title, plan), (later title, plan), kind.
E, L = PLAN_2015, PLAN_2022
LINKS = [
    ("Anti-social behaviour (ASB)", E, "ASB and Reducing Reoffending", E, "demoted"),
    ("Reducing re-offending", E, "ASB and Reducing Reoffending", E, "demoted"),
    ("Community Resilience", E, "Organised Crime Groups (including modern slavery)", E, "split"),
    ("Community Resilience", E, "Gangs and Child Sexual Exploitation", E, "split"),
    ("Violent crime – domestic abuse", E, "Domestic Abuse and other violent crime", E, "merged"),
    ("Violent crime – night-time economy", E, "Domestic Abuse and other violent crime", E,
     "merged"),
    ("Organised Crime Groups (including modern slavery)", E, PRIORITIES_2022[0][0], L,
     "continued"),
    ("Gangs and Child Sexual Exploitation", E, PRIORITIES_2022[3][0], L, "continued"),
    ("Domestic Abuse and other violent crime", E, PRIORITIES_2022[1][0], L, "continued"),
    ("Substance misuse", E, "Substance misuse", L, "demoted"),
    ("Mental Health", E, "Mental health", L, "demoted"),
    ("ASB and Reducing Reoffending", E, "Tackling anti-social behaviour", L, "split"),
    ("ASB and Reducing Reoffending", E, "Reducing reoffending", L, "split"),
]

# Agencies that sit on a subgroup as organisations (no named person).
AGENCY_SEATS = [("Town Centre Task Force", "One Maidstone")]

# Demo statuses: (year, status, commentary) for the named priorities.
STATUSES = [
    (2022, "on_track", "Demo commentary: actions delivered as planned this year."),
    (2023, "on_track", "Demo commentary: on track; see the action plan for detail."),
    (2024, "on_track", "Demo commentary: on track in the plan's last year."),
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
    users = _users(partnership, agencies)
    subgroups = {
        name: upsert(Subgroup, {"partnership": partnership, "name": name},
                     {"description": description})
        for name, description in SUBGROUPS
    }
    for subgroup, agency in AGENCY_SEATS:
        upsert(SubgroupMember, {"subgroup": subgroups[subgroup], "user": None,
                                "agency": agencies[agency]}, {"role": SubgroupMember.Role.MEMBER})
    plans = {
        PLAN_2022: upsert(PlanPeriod, {"partnership": partnership, "title": PLAN_2022},
                          {"start_year": 2022, "end_year": 2024, "is_published": True}),
        PLAN_2015: upsert(PlanPeriod, {"partnership": partnership, "title": PLAN_2015},
                          {"start_year": 2015, "end_year": 2017, "is_published": True}),
    }
    PlanPeriod.objects.filter(partnership=partnership, title=FORMER_PLAN_2017).delete()
    _plan_2022(partnership, plans[PLAN_2022], subgroups, users)
    for order, (title, kind, start, ended, reason) in enumerate(PRIORITIES_2015, start=1):
        upsert(Priority, {"plan": plans[PLAN_2015], "title": title},
               {"partnership": partnership, "kind": kind, "order": order, "start_year": start,
                "ended_year": ended, "ended_reason": reason})
    for source, source_plan, target, target_plan, kind in LINKS:
        upsert(PriorityLink, {
            "source": Priority.objects.get(plan=plans[source_plan], title=source),
            "target": Priority.objects.get(plan=plans[target_plan], title=target),
        }, {"kind": kind, "note": ""})
    return partnership


def _users(partnership: Partnership, agencies: dict) -> dict:
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
    return users


def _plan_2022(partnership: Partnership, plan: PlanPeriod, subgroups: dict,
               users: dict) -> None:
    for order, (title, kind, subgroup, leads, aim) in enumerate(PRIORITIES_2022, start=1):
        priority = upsert(
            Priority, {"plan": plan, "title": title},
            {"partnership": partnership, "kind": kind, "order": order, "aim": aim,
             "subgroup": subgroups.get(subgroup), "start_year": plan.start_year},
        )
        for username in leads:
            user, agency = users[username]
            upsert(PriorityLead, {"priority": priority, "user": user}, {"agency": agency})
            if subgroup:
                role = SubgroupMember.Role.CHAIR if username == leads[0] else (
                    SubgroupMember.Role.MEMBER)
                upsert(SubgroupMember, {"subgroup": subgroups[subgroup], "user": user},
                       {"agency": agency, "role": role})
        if kind == Priority.Kind.PRIORITY:
            for year, status, commentary in STATUSES:
                upsert(PriorityStatus, {"priority": priority, "year": year},
                       {"status": status, "commentary": commentary,
                        "set_by": users["cochair.council"][0]})
