"""Demo action plans for the Safer Maidstone Partnership's 2022–25 plan.

Aims, outcomes, actions and indicators are drawn from the partnership's papers
(shared/DOMAIN.md), e.g. the 2017 Substance Misuse OBA plan, now carried by the
Substance misuse theme. Statuses and progress notes are demo text and say so.

Indicator VALUES of the published series (needle finds, MARAC cases, …) are
loaded by the datasets demo through the upload path; this loader only makes sure
each series exists (by its exact name) and links the indicators to it. Values of
the few hand-entered (manual) indicators below are demo values. One indicator
reads a crime series (violence against the person in the district) from the
datasets demo's police.uk import, so the demo shows all three indicator sources.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import namedtuple
from decimal import Decimal

from django.contrib.auth import get_user_model

from actionplans import periods
from actionplans.models import (
    Action,
    ActionPlan,
    Indicator,
    Outcome,
    ProgressUpdate,
    Target,
)
from datasets.models import Area, Category, IndicatorSeries, IndicatorValue, Source
from priorities import demo as priorities_demo
from priorities.models import PlanPeriod, Priority
from smp.demo import demo_dir, upsert
from smp.models import Agency, Partnership

YEAR = 2024  # the 2024–25 plan year, the last of the 2022–25 plan
NEEDLES = "Needle finds"
# A crime series from the datasets demo's police.uk import: category and area code.
Crime = namedtuple("Crime", "category area_code")
VIOLENCE = "Violence against the person (incl. sexual offences)"
DISTRICT = "E07000110"  # Maidstone

# Each plan: priority title → aim (None: the priority's), outcomes, actions, indicators.
# Action: (description, outcome numbers, agency short name, due (date or cadence),
#          status, 4P strand, demo progress note or None)
# Indicator: (name, definition, unit, kind, source, series name (a Crime for a crime
#             series), frequency, direction, baseline (value, period) or None,
#             target (comparator, value) or None)
PLANS = [
    (priorities_demo.PRIORITIES_2022[0][0], [
        "Organised crime groups operating in Maidstone are disrupted.",
        "Victims of modern-day slavery and exploitation are identified and supported.",
        "Serious violence, including knife crime, is reduced.",
    ], [
        ("Map and score organised crime groups with MoRiLE at each Serious & Organised Crime "
         "Panel and agree a disruption plan for each", [1], "Kent Police", "quarterly",
         "on_track", "pursue", "Demo note: three groups reviewed at the last panel."),
        ("Joint visits to car washes, nail bars and houses in multiple occupation to spot "
         "signs of modern-day slavery", [2], "MBC", "ongoing", "on_track", "protect", None),
        ("Deliver modern slavery awareness training to frontline council and housing staff",
         [2], "MBC", dt.date(2024, 12, 31), "at_risk", "prepare",
         "Demo note: trainer availability delayed two sessions."),
        ("Weapons sweeps and knife amnesty with schools and youth services", [3],
         "Kent Police", dt.date(2024, 11, 30), "completed", "prevent", None),
    ], [
        ("Organised crime groups disrupted", "Groups with a recorded disruption in the "
         "period (panel minutes).", "groups", "how_much", "manual", None, "financial_year",
         "up", None, ("at_least", Decimal(4))),
        ("Modern slavery referrals (National Referral Mechanism)", "Referrals made by "
         "partners in Maidstone.", "referrals", "how_well", "manual", None,
         "financial_year", "up", None, ("increase", None)),
        ("Violence against the person in Maidstone", "Police-recorded violence against the "
         "person (incl. sexual offences) in the borough, summed over the calendar year from "
         "the monthly police.uk counts.", "crimes", "population", "crime",
         Crime(VIOLENCE, DISTRICT), "calendar_year", "down", None, ("decrease", None)),
    ]),
    (priorities_demo.PRIORITIES_2022[1][0], [
        "Victims of domestic abuse and stalking are safer and supported earlier.",
        "Fewer repeat victims of domestic abuse.",
        "Perpetrators are held to account.",
    ], [
        ("Chair the monthly MARAC and track actions for high-risk victims", [1, 2],
         "Kent Police", "monthly", "on_track", "protect", "Demo note: all actions tracked."),
        ("Commission the One Stop Shop drop-in for victims of domestic abuse", [1], "MBC",
         "ongoing", "on_track", "protect", None),
        ("Run a White Ribbon campaign with local businesses and the night-time economy",
         [1], "MBC", dt.date(2024, 11, 25), "completed", "prevent", None),
        ("Refer eligible perpetrators to behaviour change programmes", [2, 3], "Probation",
         dt.date(2025, 3, 31), "not_started", "pursue", None),
    ], [
        ("MARAC cases", "High-risk domestic abuse cases heard at MARAC (calendar year).",
         "cases", "how_much", "series", "MARAC cases", "calendar_year", "neither",
         (Decimal(220), "2021"), None),
        ("Domestic abuse incidents (Apr-Sep)", "Police-recorded domestic abuse incidents, "
         "April to September.", "incidents", "population", "series",
         "Domestic abuse incidents (Apr-Sep)", "calendar_year", "neither", None, None),
    ]),
    (priorities_demo.PRIORITIES_2022[2][0], [
        "People feel safe in the town centre, day and night.",
        "Less anti-social behaviour in the town centre.",
    ], [
        ("Run the Safer Streets night-time patrols with street pastors and door staff", [1],
         "One Maidstone", "ongoing", "on_track", "", None),
        ("Use community protection warnings and notices against persistent ASB", [2], "MBC",
         "ongoing", "on_track", "", "Demo note: 12 warnings issued this quarter."),
        ("Upgrade town-centre CCTV cameras in the hot-spot areas", [1, 2], "MBC",
         dt.date(2024, 10, 31), "off_track", "", "Demo note: supplier delay, new date agreed."),
    ], [
        ("Public survey: feel safe in local area at night", "Residents' survey: % who feel "
         "safe in their local area after dark.", "percent", "better_off", "series",
         "Public survey: feel safe in local area at night", "calendar_year", "up",
         (Decimal(41), "2019"), ("increase", None)),
        ("Public survey: feel safe in local area in daytime", "Residents' survey: % who "
         "feel safe in their local area during the day.", "percent", "better_off", "series",
         "Public survey: feel safe in local area in daytime", "calendar_year", "up", None,
         ("at_least", Decimal(75))),
        ("CPT anti-social behaviour complaints", "ASB complaints to the council's Community "
         "Protection Team.", "complaints", "population", "series",
         "CPT anti-social behaviour complaints", "calendar_year", "down", None, None),
        ("Killed or seriously injured (KSI)", "People killed or seriously injured on the "
         "borough's roads (context for town-centre safety).", "people", "population",
         "series", "Killed or seriously injured (KSI)", "calendar_year", "down", None, None),
    ]),
    (priorities_demo.PRIORITIES_2022[3][0], [
        "Children at risk of exploitation outside the home are identified and safeguarded.",
        "Fewer children go missing, and those who do are found and supported.",
        "Fewer young people enter the criminal justice system.",
    ], [
        ("Review every child at risk of exploitation at the District Contextual "
         "Safeguarding Meeting", [1], "KCC", "monthly", "on_track", "protect",
         "Demo note: 9 young people reviewed."),
        ("Return home interviews for every missing child within 72 hours", [2], "KCC",
         "ongoing", "at_risk", "protect", None),
        ("Deliver county lines and knife crime awareness sessions in secondary schools",
         [1, 3], "Kent Police", dt.date(2025, 3, 31), "on_track", "prevent", None),
    ], [
        ("Missing children reports (M-CET)", "Missing child reports (Missing and Child "
         "Exploitation Team).", "reports", "population", "series",
         "Missing children reports (M-CET)", "calendar_year", "down", None,
         ("decrease", None)),
        ("Youth offences", "Offences committed by young people aged 10–17 (financial year).",
         "offences", "population", "series", "Youth offences", "financial_year", "down",
         (Decimal(184), "2015-16"), ("at_most", Decimal(120))),
    ]),
    ("Substance misuse", [
        "A reduction in discarded needles.",
        "Fewer young people regularly using substances.",
        "A higher percentage of charges and positive outcomes of drug arrests.",
        "Raised awareness of the risks among high-risk cohorts.",
    ], [
        ("Continued support with needle exchange schemes and needle bin placements", [1],
         "CGL", "ongoing", "on_track", "", "Demo note: two new bins placed in the town centre."),
        ("Deliver substance misuse awareness sessions to pupils", [2, 4], "CGL", "quarterly",
         "on_track", "prevent", None),
        ("Targeted drug enforcement operations with follow-up referral to treatment", [3],
         "Kent Police", "ongoing", "on_track", "pursue", None),
        ("Alcohol and drugs outreach to street-based and homeless people", [4], "CGL",
         dt.date(2024, 9, 30), "completed", "protect", None),
    ], [
        ("Annual number of needle finds (keep below 1,000)", "Discarded needles found and "
         "removed, summed over the calendar year from the monthly counts.", "finds",
         "population", "series", NEEDLES, "calendar_year", "down", None,
         ("below", Decimal(1000))),
        ("Charges laid as a percentage of drug arrest outcomes", "Increase on the previous "
         "year.", "percent", "how_well", "manual", None, "financial_year", "up", None,
         ("increase", None)),
        ("Number of pupils having substance misuse awareness delivered", "Pupils attending "
         "a session in the year.", "pupils", "how_much", "manual", None, "financial_year",
         "up", None, ("at_least", Decimal(1000))),
    ]),
]

# Demo values of the hand-entered indicators: (indicator name, period start, value).
MANUAL_VALUES = [
    ("Organised crime groups disrupted", dt.date(2022, 4, 1), Decimal(3)),
    ("Organised crime groups disrupted", dt.date(2023, 4, 1), Decimal(5)),
    ("Charges laid as a percentage of drug arrest outcomes", dt.date(2022, 4, 1),
     Decimal("61.5")),
    ("Charges laid as a percentage of drug arrest outcomes", dt.date(2023, 4, 1),
     Decimal("64.0")),
    ("Number of pupils having substance misuse awareness delivered", dt.date(2022, 4, 1),
     Decimal(1140)),
    ("Number of pupils having substance misuse awareness delivered", dt.date(2023, 4, 1),
     Decimal(960)),
]


def _period_kind(label: str) -> str:
    return periods.FINANCIAL_YEAR if "-" in label else periods.CALENDAR_YEAR


def published_series() -> dict[str, tuple[str, str]]:
    """Series name → (unit, period kind), from the published demo files."""
    found = {NEEDLES: ("finds", periods.MONTH)}
    with open(demo_dir() / "other_indicators.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["indicator"], (row["unit"], _period_kind(row["period"])))
    return found


def _series(partnership: Partnership, name: str, unit: str, kind: str,
            description: str = "") -> IndicatorSeries:
    """Get or create by name; never overwrite what the datasets demo (or an upload) set."""
    series = IndicatorSeries.objects.filter(partnership=partnership, name=name).first()
    if series is None:
        series = IndicatorSeries.objects.create(partnership=partnership, name=name, unit=unit,
                                                period_kind=kind, description=description)
    return series


def load() -> None:
    partnership = Partnership.objects.get(slug="maidstone")
    plan_period = PlanPeriod.objects.get(partnership=partnership,
                                         title=priorities_demo.PLAN_2022)
    agencies = {a.short_name: a for a in Agency.objects.filter(partnership=partnership)}
    known = published_series()
    for name, (unit, kind) in known.items():
        _series(partnership, name, unit, kind)
    for title, outcomes, actions, indicators in PLANS:
        priority = Priority.objects.get(plan=plan_period, title=title)
        lead = priority.leads.select_related("user").first()
        plan = upsert(ActionPlan, {"priority": priority, "year": YEAR},
                      {"aim": priority.aim or f"To deliver the priority: {title}."})
        outcome_rows = [
            upsert(Outcome, {"plan": plan, "order": n}, {"text": text})
            for n, text in enumerate(outcomes, start=1)
        ]
        for n, (text, serves, agency, due, status, strand, note) in enumerate(actions, 1):
            is_date = isinstance(due, dt.date)
            action = upsert(Action, {"plan": plan, "order": n}, {
                "description": text, "lead_agency": agencies[agency], "status": status,
                "due_date": due if is_date else None, "cadence": "" if is_date else due,
                "strand": strand})
            wanted = {outcome_rows[i - 1].pk for i in serves}
            if set(action.outcomes.values_list("pk", flat=True)) != wanted:
                action.outcomes.set(wanted)
            if note:
                update = upsert(ProgressUpdate, {"action": action, "note": note},
                                {"date": dt.date(2024, 10, 1), "new_status": "",
                                 "author": lead.user if lead else None})
                if action.latest_update_id != update.pk:
                    Action.objects.filter(pk=action.pk).update(latest_update=update)
        for n, row in enumerate(indicators, start=1):
            name, definition, unit, kind, source, _, freq, direction, base, tgt = row
            indicator = upsert(Indicator, {"plan": plan, "name": name}, {
                **_source(partnership, title, row), "order": n, "definition": definition,
                "unit": unit, "kind": kind, "source": source, "frequency": freq,
                "direction": direction, "outcome": outcome_rows[0] if n == 1 else None,
                "baseline_value": base[0] if base else None,
                "baseline_period": base[1] if base else ""})
            if tgt:
                upsert(Target, {"indicator": indicator, "period_start": None},
                       {"comparator": tgt[0], "value": tgt[1]})
    _manual_values(partnership)


def _source(partnership: Partnership, title: str, row: tuple) -> dict:
    """Where an indicator's values come from: its series, or a crime series."""
    name, _, unit, _, source, series_name, freq = row[:7]
    none = {"series": None, "category": None, "area": None, "crime_source": ""}
    if source == "crime":
        return {**none, "crime_source": Source.POLICE_UK,
                "category": Category.objects.get(partnership=partnership,
                                                 name=series_name.category),
                "area": Area.objects.get(partnership=partnership, code=series_name.area_code)}
    if source == "manual":
        return {**none, "series": _series(partnership, name, unit, freq,
                                          f"Entered by hand for the action plan of {title}.")}
    return {**none, "series": IndicatorSeries.objects.get(partnership=partnership,
                                                          name=series_name)}


def _manual_values(partnership: Partnership) -> None:
    entered_by = get_user_model().objects.filter(username="lead.substance").first()
    for name, start, value in MANUAL_VALUES:
        series = IndicatorSeries.objects.get(partnership=partnership, name=name)
        period = periods.containing(series.period_kind, start)
        upsert(IndicatorValue, {"series": series, "period_start": period.start},
               {"period_end": period.end, "label": period.label, "value": value,
                "note": "Demo value.", "entered_by": entered_by})
