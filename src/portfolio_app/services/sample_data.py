"""A realistic, obviously fictional demo profile, written through the public services only.

Dates are counted back from `today` and nudged by a seeded RNG (never the global one), so the same
day always gives the same data: screenshots, training sessions and tests can rely on it. Every
person and organisation is invented; the lessons record learning, not identifiable details.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.services.context import AppServices
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t

DEMO_SEED = 20_240_517
DEMO_NAME = "Alex Demo"
DEMO_ROLE = "Senior practitioner, adult social care (demo profile)"
HOME_ORGANISATION = "ncc"
MAX_JITTER_DAYS = 3


@dataclass(frozen=True)
class DemoSummary:
    """What `populate_demo` created, for a confirmation message."""

    organisations: int
    contacts: int
    activities: int
    planned: int
    lessons: int
    goals: int = 0
    reviews: int = 0


@dataclass(frozen=True)
class _Org:
    key: str
    name: str
    sector: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Role:
    org: str
    title: str
    since: int | None = None  # days before today; None: not recorded
    until: int | None = None  # days before today; None: still in post


@dataclass(frozen=True)
class _Person:
    key: str
    name: str
    roles: tuple[_Role, ...]
    notes: str = ""


@dataclass(frozen=True)
class _Act:
    key: str
    type: ActivityType
    title: str
    days_ago: int  # negative: a planned activity that far ahead
    description: str
    orgs: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    extra_sectors: tuple[str, ...] = ()
    span: int = 0  # days from the first to the last day
    hours: float | None = None
    shared: bool = False


@dataclass(frozen=True)
class _Lesson:
    title: str
    activity: str | None  # an activity key, or None for a standalone lesson
    sections: tuple[tuple[LessonSection, str, bool], ...]  # (section, text, shared)
    days_ago: int = 0  # standalone lessons only; linked ones follow their activity


_S = LessonSection
_T = ActivityType

_ORGANISATIONS: tuple[_Org, ...] = (
    _Org("ncc", "Northshire County Council", "adult-social-care", ("NCC", "Northshire Council")),
    _Org("eastbrook", "Eastbrook Borough Council", "council-housing", ("EBC",)),
    _Org(
        "acute",
        "Northshire Hospitals NHS Foundation Trust",
        "acute-trusts",
        ("NHFT", "Northshire Royal Infirmary"),
    ),
    _Org("ncht", "Northshire Community Health NHS Trust", "community-trusts", ("NCHT",)),
    _Org(
        "nwmh",
        "Northshire and Westvale Mental Health NHS Foundation Trust",
        "mental-health-trusts",
        ("NWMH",),
    ),
    _Org(
        "nicb",
        "Northshire Integrated Care Board",
        "integrated-care-boards",
        ("NICB", "Northshire ICB"),
    ),
    _Org("riverside", "Riverside GP Practice", "primary-care", ("Riverside Surgery",)),
    _Org(
        "pcn",
        "Millbridge Central Primary Care Network",
        "primary-care",
        ("Millbridge Central PCN",),
    ),
    _Org("police", "Northshire Police", "police", ("Northshire Constabulary",)),
    _Org("nfrs", "Northshire Fire and Rescue Service", "fire-rescue", ("NFRS",)),
    _Org("probation", "Northshire Probation Delivery Unit", "justice", ("Northshire PDU",)),
    _Org("jcp", "Millbridge Jobcentre Plus", "employment-services", ("Millbridge Jobcentre",)),
    _Org("meadowview", "Meadowview Care Home", "care-homes"),
    _Org("willowbank", "Willowbank Home Care", "home-care"),
    _Org("harbour", "Harbour Housing Association", "housing-associations", ("Harbour Housing",)),
    _Org("agewell", "Age Well Northshire", "voluntary-community"),
    _Org("carers", "Northshire Carers' Centre", "voluntary-community"),
    _Org("college", "Millbridge College", "education"),
    _Org("nciu", "National Care Improvement Unit", "central-government", ("NCIU",)),
)

# Role boundaries sit well clear (two weeks or more) of the activities each person is linked to,
# so a contact always held a role at one of the activity's organisations on the day.
_PEOPLE: tuple[_Person, ...] = (
    _Person(
        "sian",
        "Siân Evans",
        (
            _Role("acute", "Discharge coordinator", 2900, 540),
            _Role("nicb", "Senior commissioning manager, ageing well", 539),
        ),
        "Knows the discharge pathway from both the ward and the commissioning side.",
    ),
    _Person(
        "lukasz",
        "Łukasz Nowak",
        (
            _Role("jcp", "Work coach", 2200, 180),
            _Role("harbour", "Employment and skills officer", 179),
        ),
        "Good person to ask about fit notes, conditionality and tenants looking for work.",
    ),
    _Person(
        "zoe",
        "Zoë Clarke",
        (_Role("ncht", "District nursing team leader"),),
        "Covers the Millbridge and Eastbrook rounds.",
    ),
    _Person(
        "priya",
        "Priya Raman",
        (_Role("police", "Detective sergeant, adult safeguarding hub", 1500),),
    ),
    _Person(
        "tomas",
        "Tomás Byrne",
        (_Role("nfrs", "Station manager, prevention and protection", 1200),),
        "Runs the safe and well visits; keen on joint working on hoarding.",
    ),
    _Person(
        "grace",
        "Grace Adeyemi",
        (
            _Role("probation", "Senior probation officer", 3000, 200),
            _Role("eastbrook", "Community safety partnership manager", 199),
        ),
    ),
    _Person(
        "hamid",
        "Dr Hamid Qureshi",
        (
            _Role("riverside", "GP partner"),
            _Role("pcn", "Clinical director", 1000),
        ),
        "Holds both roles at once: partner at the practice and clinical director of the PCN.",
    ),
    _Person(
        "helen",
        "Helen Marsh",
        (_Role("nwmh", "Community mental health team manager", 2000),),
    ),
    _Person(
        "chidi",
        "Chidi Okafor",
        (
            _Role("meadowview", "Registered manager", 3300, 260),
            _Role("willowbank", "Registered manager", 259),
        ),
    ),
    _Person(
        "bethan",
        "Bethan Hughes",
        (_Role("college", "Head of adult and community learning", 1100),),
    ),
    _Person(
        "jose",
        "José Martins",
        (_Role("agewell", "Volunteer coordinator", 900),),
        "Runs the befriending scheme.",
    ),
    _Person(
        "aisha",
        "Aisha Rahman",
        (_Role("carers", "Carers support manager", 1400),),
    ),
    _Person(
        "fiona",
        "Fiona MacLeod",
        (
            _Role("ncc", "Assistant director, adult social care", 4000, 320),
            _Role("nicb", "Director of integration", 319),
        ),
        "My mentor since she moved to the ICB.",
    ),
    _Person(
        "daniel",
        "Daniel Osei",
        (_Role("harbour", "Tenancy sustainment officer", 700),),
    ),
    _Person(
        "kerry",
        "Kerry-Ann Brooks",
        (_Role("nciu", "Policy adviser, adult social care", 800),),
    ),
    _Person(
        "llyr",
        "Llŷr Davies",
        (_Role("eastbrook", "Housing options officer", 1300),),
    ),
    _Person(
        "ciaran",
        "Ciarán Doyle",
        (
            _Role("ncht", "Occupational therapist, intermediate care", 1800, 250),
            _Role("ncc", "Reablement service lead", 249),
        ),
    ),
)

_ACTIVITIES: tuple[_Act, ...] = (
    _Act(
        "mca",
        _T.TRAINING,
        "Mental Capacity Act: complex decisions on discharge",
        700,
        "Joint half-day course for council and hospital staff on capacity assessments made "
        "under time pressure on the wards.",
        orgs=("ncc", "acute"),
        hours=3.5,
        shared=True,
    ),
    _Act(
        "district-nurse",
        _T.SHADOWING,
        "Shadowing a district nurse on the Millbridge round",
        680,
        "A full day with a district nursing team: eight home visits, mostly wound care and "
        "end-of-life support. Saw how much the nurses already know about people's homes.",
        orgs=("ncht",),
        contacts=("zoe",),
        hours=7.5,
        shared=True,
    ),
    _Act(
        "frailty-network",
        _T.PEER_EVENT,
        "Northshire frailty and falls network",
        660,
        "Quarterly network meeting on falls prevention, with a session on referrals from fire "
        "service home visits and a local falls audit.",
        orgs=("nicb", "ncht", "nfrs", "agewell"),
        contacts=("zoe", "tomas", "jose"),
        extra_sectors=("primary-care",),
        hours=3.0,
        shared=True,
    ),
    _Act(
        "home-first",
        _T.JOINT_PROJECT,
        "Home First: joint hospital discharge pathway redesign",
        640,
        "Six-month project with the hospital trust, community health and a home care provider "
        "to get people home sooner with a short-term care package. I led the social care "
        "workstream and the weekly case reviews.",
        orgs=("acute", "ncc", "ncht", "willowbank"),
        contacts=("sian", "ciaran"),
        span=160,
        hours=96.0,
        shared=True,
    ),
    _Act(
        "als-boundaries",
        _T.ACTION_LEARNING,
        "Action-learning set: leading across boundaries",
        630,
        "Six sessions with managers from health, policing and the voluntary sector, each "
        "bringing a live problem from their own work.",
        orgs=("nicb", "acute", "police", "agewell"),
        span=180,
        hours=18.0,
    ),
    _Act(
        "police-hub",
        _T.SHADOWING,
        "Shadowing the police adult safeguarding hub",
        610,
        "Sat in on the hub's daily risk meeting and followed two concerns from first call to "
        "decision.",
        orgs=("police",),
        contacts=("priya",),
        hours=7.0,
        shared=True,
    ),
    _Act(
        "trauma-informed",
        _T.TRAINING,
        "Trauma-informed practice: two-day multi-agency course",
        590,
        "Run by the mental health trust for staff from probation, social care and mental health "
        "services.",
        orgs=("nwmh", "probation"),
        contacts=("helen",),
        span=1,
        hours=12.0,
        shared=True,
    ),
    _Act(
        "strengths-network",
        _T.PEER_EVENT,
        "Regional strengths-based practice network",
        570,
        "Peer network of practitioners from councils across the region, hosted by a national "
        "improvement programme. Shared our conversation-record template.",
        orgs=("nciu", "ncc"),
        contacts=("kerry",),
        extra_sectors=("local-government",),
        hours=5.0,
    ),
    _Act(
        "mentor-housing",
        _T.MENTORING_GIVEN,
        "Mentoring a tenancy sustainment officer",
        555,
        "Monthly sessions with a housing association officer who wanted to understand care "
        "assessments and how to refer well.",
        orgs=("harbour",),
        contacts=("daniel",),
        span=185,
        hours=9.0,
        shared=True,
    ),
    _Act(
        "college-talk",
        _T.OTHER,
        "Guest session for health and social care students",
        540,
        "An hour's talk and questions on what a week in adult social care looks like.",
        orgs=("college",),
        contacts=("bethan",),
        hours=2.0,
        shared=True,
    ),
    _Act(
        "work-coach",
        _T.SHADOWING,
        "Shadowing a Jobcentre work coach",
        520,
        "A morning of appointments with a work coach, including two people with caring "
        "responsibilities and one waiting for a mental health assessment.",
        orgs=("jcp",),
        contacts=("lukasz",),
        hours=4.0,
        shared=True,
    ),
    _Act(
        "self-neglect-day",
        _T.PEER_EVENT,
        "Multi-agency learning day: self-neglect and hoarding",
        500,
        "Case study day with fire, housing, community nursing and the council, built around an "
        "anonymised review.",
        orgs=("ncc", "nfrs", "harbour", "eastbrook", "ncht"),
        contacts=("tomas", "llyr", "daniel"),
        extra_sectors=("voluntary-community",),
        hours=6.0,
        shared=True,
    ),
    _Act(
        "bia-refresher",
        _T.TRAINING,
        "Best interests assessor refresher",
        485,
        "Annual refresher on deprivation of liberty safeguards and recent case law.",
        orgs=("ncc",),
        hours=7.0,
    ),
    _Act(
        "icb-secondment",
        _T.SECONDMENT,
        "Secondment to Northshire Integrated Care Board: discharge to assess commissioning",
        470,
        "Three months full time in the ICB's ageing well team, reviewing discharge to assess "
        "beds and helping write the business case for the following year.",
        orgs=("nicb",),
        contacts=("sian",),
        span=91,
        hours=481.0,
        shared=True,
    ),
    _Act(
        "winter-workshop",
        _T.PEER_EVENT,
        "Winter planning workshop for the Northshire system",
        440,
        "Hospital, GP, community and council leads agreeing escalation steps for winter.",
        orgs=("nicb", "acute", "pcn", "ncc"),
        contacts=("sian", "hamid"),
        hours=4.0,
    ),
    _Act(
        "gp-mdt",
        _T.SHADOWING,
        "Observing a GP frailty multidisciplinary team meeting",
        420,
        "Joined the practice's monthly frailty meeting with the pharmacist, community matron "
        "and care coordinator.",
        orgs=("riverside", "pcn"),
        contacts=("hamid",),
        hours=2.5,
        shared=True,
    ),
    _Act(
        "sab-conference",
        _T.PEER_EVENT,
        "Safeguarding adults board annual conference",
        390,
        "A day of learning from safeguarding adults reviews, with workshops run by police, "
        "probation and mental health services.",
        orgs=("ncc", "police", "nwmh", "probation"),
        contacts=("priya", "grace"),
        extra_sectors=("voluntary-community", "housing-associations"),
        hours=6.0,
        shared=True,
    ),
    _Act(
        "older-abuse",
        _T.TRAINING,
        "Domestic abuse and older people",
        360,
        "Police-led session on risk assessment when the person harming is a carer or adult child.",
        orgs=("police", "agewell"),
        hours=3.5,
    ),
    _Act(
        "carers-pilot",
        _T.JOINT_PROJECT,
        "Carers' assessments in GP surgeries pilot",
        345,
        "Ran carers' assessment clinics in a GP surgery with the carers' centre, so carers "
        "could be seen where they already go.",
        orgs=("carers", "riverside", "ncc"),
        contacts=("aisha", "hamid"),
        span=145,
        hours=40.0,
        shared=True,
    ),
    _Act(
        "cmht",
        _T.SHADOWING,
        "Shadowing a community mental health team duty day",
        330,
        "Duty calls, a joint visit and the afternoon allocation meeting.",
        orgs=("nwmh",),
        contacts=("helen",),
        hours=7.0,
    ),
    _Act(
        "trusted-assessor",
        _T.PEER_EVENT,
        "Trusted assessor forum: care homes and hospital",
        300,
        "Care home managers and ward staff agreeing what a trusted assessment must contain "
        "before a care home accepts someone back.",
        orgs=("meadowview", "acute", "nicb"),
        contacts=("chidi",),
        extra_sectors=("care-providers",),
        hours=3.0,
        shared=True,
    ),
    _Act(
        "fire-note",
        _T.OTHER,
        "Practice note on joint visits with the fire service",
        285,
        "Wrote a two-page note for my team on when and how to ask for a joint visit.",
        orgs=("nfrs",),
    ),
    _Act(
        "mentor-fiona",
        _T.MENTORING_RECEIVED,
        "Mentoring from a director of integration",
        280,
        "Monthly mentoring with a senior leader outside my profession, focused on influencing "
        "without authority.",
        orgs=("nicb",),
        contacts=("fiona",),
        span=220,
        hours=8.0,
    ),
    _Act(
        "safe-and-well",
        _T.SHADOWING,
        "Joining a fire and rescue safe and well visit",
        270,
        "Went out with a prevention team on three home fire safety visits to older people "
        "living alone.",
        orgs=("nfrs",),
        contacts=("tomas",),
        hours=5.0,
        shared=True,
    ),
    _Act(
        "mecc",
        _T.TRAINING,
        "Making Every Contact Count: train the trainer",
        255,
        "Public health course on brief conversations about health, now part of our induction.",
        orgs=("nicb",),
        extra_sectors=("public-health",),
        hours=6.0,
        shared=True,
    ),
    _Act(
        "prison-leavers",
        _T.TRAINING,
        "Working with people leaving prison who have care needs",
        240,
        "Probation briefing on release planning and the Care Act duties that follow a person "
        "into the community.",
        orgs=("probation",),
        contacts=("grace",),
        hours=3.0,
    ),
    _Act(
        "employment-day",
        _T.PEER_EVENT,
        "Multi-agency learning day: health, care and work",
        230,
        "How employment support, housing and adult learning can work with people who have "
        "long-term conditions.",
        orgs=("jcp", "harbour", "college"),
        contacts=("lukasz", "bethan"),
        extra_sectors=("mental-health-trusts", "adult-social-care"),
        hours=6.0,
        shared=True,
    ),
    _Act(
        "hoarding-protocol",
        _T.JOINT_PROJECT,
        "Joint hoarding protocol with fire and housing",
        215,
        "Wrote and piloted a shared protocol for people at risk from hoarding: one lead agency, "
        "one risk scale, one review date.",
        orgs=("nfrs", "harbour", "eastbrook"),
        contacts=("tomas", "llyr"),
        span=115,
        hours=30.0,
        shared=True,
    ),
    _Act(
        "mentor-care-home",
        _T.MENTORING_GIVEN,
        "Mentoring a care home deputy manager",
        170,
        "Supporting a deputy manager through a leadership course, mainly on safeguarding "
        "decisions and working with the council.",
        orgs=("meadowview",),
        span=120,
        hours=7.0,
    ),
    _Act(
        "reablement-review",
        _T.PEER_EVENT,
        "Reablement peer review with a neighbouring council",
        150,
        "Two councils reviewing each other's reablement pathways, with our home care provider "
        "in the room.",
        orgs=("ncc", "willowbank"),
        contacts=("ciaran", "chidi"),
        extra_sectors=("local-government",),
        hours=7.0,
    ),
    _Act(
        "housing-options",
        _T.SHADOWING,
        "Shadowing a housing options officer on homelessness duty",
        130,
        "A day on the council's homelessness duty desk, including a hospital discharge with "
        "no home to go to.",
        orgs=("eastbrook",),
        contacts=("llyr",),
        hours=6.0,
        shared=True,
    ),
    _Act(
        "als-neighbourhood",
        _T.ACTION_LEARNING,
        "Action-learning set: integrated neighbourhood teams",
        110,
        "Four sessions with primary care, community nursing and voluntary sector colleagues "
        "building a neighbourhood team.",
        orgs=("nicb", "pcn", "ncht", "agewell"),
        contacts=("zoe", "hamid"),
        span=90,
        hours=9.0,
    ),
    _Act(
        "phm",
        _T.TRAINING,
        "Introduction to population health management",
        95,
        "ICB e-learning and workshop on using linked data to find people at rising risk.",
        orgs=("nicb",),
        hours=3.0,
        shared=True,
    ),
    _Act(
        "vcse-marketplace",
        _T.PEER_EVENT,
        "Voluntary and community sector partners' marketplace",
        80,
        "Stalls and short talks from local charities and housing partners; collected referral "
        "routes for the team.",
        orgs=("agewell", "carers", "harbour"),
        contacts=("jose", "aisha", "lukasz"),
        hours=3.0,
        shared=True,
    ),
    _Act(
        "webinar",
        _T.OTHER,
        "Presented Home First at a national learning webinar",
        60,
        "Fifteen minutes on what the discharge project changed and what it did not.",
        orgs=("nciu",),
        contacts=("kerry",),
        hours=1.5,
        shared=True,
    ),
    _Act(
        "csp-panel",
        _T.SHADOWING,
        "Observing a community safety partnership risk panel",
        45,
        "Saw how the partnership manages high-risk cases that sit between policing, housing "
        "and care.",
        orgs=("eastbrook",),
        contacts=("grace",),
        hours=3.0,
    ),
    _Act(
        "co-production",
        _T.TRAINING,
        "Co-production with people who use services",
        25,
        "Course co-delivered by trainers with lived experience of care and support.",
        orgs=("agewell",),
        contacts=("jose",),
        hours=6.0,
        shared=True,
    ),
    _Act(
        "transitions-day",
        _T.PEER_EVENT,
        "Multi-agency learning day: moving from children's to adult services",
        14,
        "College, mental health and council staff on planning earlier for young people "
        "turning eighteen.",
        orgs=("ncc", "college", "nwmh"),
        contacts=("bethan", "helen"),
        extra_sectors=("childrens-services",),
        hours=6.0,
    ),
    _Act(
        "leadership-module",
        _T.TRAINING,
        "System leadership programme, module 1",
        -21,
        "First of four modules on leading integrated teams.",
        orgs=("nicb",),
        hours=7.0,
    ),
    _Act(
        "triage-car",
        _T.SHADOWING,
        "Shadowing the police mental health triage car",
        -45,
        "An evening shift with a police officer and a mental health nurse.",
        orgs=("police", "nwmh"),
        contacts=("priya", "helen"),
        hours=8.0,
    ),
    _Act(
        "regional-conference",
        _T.PEER_EVENT,
        "Regional adult social care conference: presenting Home First",
        -75,
        "Presenting the discharge project's results with a colleague from the ICB.",
        orgs=("nciu", "ncc"),
        contacts=("kerry",),
        extra_sectors=("integrated-care-boards",),
        hours=6.0,
        shared=True,
    ),
)

_LESSONS: tuple[_Lesson, ...] = (
    _Lesson(
        "Agree one set of discharge numbers before redesigning the pathway",
        "home-first",
        (
            (
                _S.WHAT_HAPPENED,
                "The hospital, community trust and council each brought their own figures for "
                "delayed discharges, and they did not agree.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Weekly case reviews of real (anonymised) discharges moved the conversation "
                "from blame to what each of us could change.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "We lost about six weeks arguing about whose numbers were right, and I got "
                "defensive in one steering group when our assessment times were questioned.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Agree a single small data set and a shared definition of 'medically fit' in "
                "the first fortnight, before any redesign work starts.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Offer the shared definitions to the ICB for the next discharge scheme.",
                True,
            ),
        ),
    ),
    _Lesson(
        "Commissioning runs to a different clock",
        "icb-secondment",
        (
            (
                _S.WHAT_HAPPENED,
                "Three months in the ICB working on next year's discharge to assess contracts.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Bringing case examples from practice made the business case concrete.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "I underestimated how long sign-off takes and promised my team changes that "
                "will not happen until next year.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Map the decision calendar in the first week of any secondment and say "
                "honestly what can change during it.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Keep a monthly call with the ageing well team.",
                False,
            ),
        ),
    ),
    _Lesson(
        "District nurses often see the home before we do",
        "district-nurse",
        (
            (
                _S.WHAT_HAPPENED,
                "Several people on the round were known to us, but the nurses had noticed "
                "changes weeks before any referral reached the council.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Asking the nurses what they worry about but never refer.",
                True,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Give community nursing a named duty contact rather than the general inbox.",
                True,
            ),
        ),
    ),
    _Lesson(
        "A police concern is not the same as a safeguarding referral",
        "police-hub",
        (
            (
                _S.WHAT_HAPPENED,
                "The hub screens many 'adult at risk' notifications a day; most never reach "
                "us, and the ones that do arrive without the context the officers had.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "I assumed our threshold document was being used; it was a version two years "
                "out of date.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Check which of our documents partners actually use before blaming the "
                "referral quality.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Sent the current threshold guidance to the hub and arranged a joint briefing.",
                True,
            ),
        ),
    ),
    _Lesson(
        "Benefit appointments and care needs collide",
        "work-coach",
        (
            (
                _S.WHAT_HAPPENED,
                "Saw how a missed appointment can stop money for someone whose care visit ran "
                "late.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Work coaches can record caring responsibilities if they are told early.",
                True,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Ask about Jobcentre appointments in our assessments, with consent to share.",
                False,
            ),
        ),
    ),
    _Lesson(
        "Ask questions instead of offering fixes",
        "als-boundaries",
        (
            (
                _S.WHAT_HAPPENED,
                "In the set my habit of jumping to solutions kept the problem-holder from "
                "thinking aloud.",
                False,
            ),
            (
                _S.WHAT_WORKED,
                "Open questions, and waiting through the silence.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "Bringing a problem that was really about one colleague; it felt unfair to "
                "discuss them without them there.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Bring problems about systems, not people.",
                True,
            ),
        ),
    ),
    _Lesson(
        "Mentoring across sectors: agree what it is for",
        "mentor-housing",
        (
            (
                _S.WHAT_HAPPENED,
                "Six months mentoring a housing officer who wanted to understand adult social "
                "care.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Working through real referrals (anonymised) taught more than explaining the "
                "legislation.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "I cancelled two sessions at short notice for duty cover, and the momentum "
                "never quite came back.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Write down the goals in the first session and protect the time in the diary.",
                True,
            ),
        ),
    ),
    _Lesson(
        "Self-neglect needs one lead agency, not five",
        "self-neglect-day",
        (
            (
                _S.WHAT_HAPPENED,
                "The review showed five agencies visiting the same person, each assuming "
                "another was leading.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Mapping every contact on one timeline made the gaps obvious to everyone.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Proposed a named lead agency in the hoarding protocol.",
                True,
            ),
        ),
    ),
    _Lesson(
        "A shared risk scale opens doors",
        "hoarding-protocol",
        (
            (
                _S.WHAT_HAPPENED,
                "Using the fire service's clutter and risk scale gave housing, fire and care "
                "staff the same words for the same home.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "We piloted without asking people with lived experience, and the first letter "
                "template read as a threat of eviction.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Test letters and leaflets with people who have used services before the pilot.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Review the protocol with the carers' centre's user group.",
                True,
            ),
        ),
    ),
    _Lesson(
        "Being mentored by someone outside my profession",
        "mentor-fiona",
        (
            (
                _S.WHAT_WORKED,
                "Being asked 'who decides?' about every problem I brought.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "At first I only brought successes, which wasted the early sessions.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Bring the thing I am most stuck on, not the thing I am proudest of.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Apply for the system leadership programme.",
                True,
            ),
        ),
    ),
    _Lesson(
        "Saying no to a discharge that was not safe",
        None,
        (
            (
                _S.WHAT_HAPPENED,
                "Under winter pressure I was asked to agree a discharge home without the "
                "equipment in place, and refused.",
                False,
            ),
            (
                _S.WHAT_WORKED,
                "Putting the reasons in writing to the ward and the discharge hub the same day.",
                True,
            ),
            (
                _S.WHAT_DID_NOT_WORK,
                "My tone on the phone made the ward feel blamed, and it took weeks to repair.",
                False,
            ),
            (
                _S.DO_DIFFERENTLY,
                "Offer an alternative in the same call (a step-down bed, a date) rather than "
                "only a refusal.",
                True,
            ),
        ),
        days_ago=410,
    ),
    _Lesson(
        "Keeping a cross-sector contact list that stays current",
        None,
        (
            (
                _S.WHAT_HAPPENED,
                "Three of the people I relied on in other agencies changed jobs within a year.",
                True,
            ),
            (
                _S.WHAT_WORKED,
                "Recording the role and organisation, not just the person, so I still know "
                "who to call.",
                True,
            ),
            (
                _S.NEXT_STEP,
                "Review the list every quarter and ask leavers who has taken over.",
                True,
            ),
        ),
        days_ago=40,
    ),
)


def populate_demo(services: AppServices, today: date) -> DemoSummary:
    """Fill an empty data dir with the demo profile; refuse (ServiceError) if it has any data.

    Everything goes through the services' checks, so the demo obeys the same validation as
    anything a user types; and all in one unit of work, so a failure leaves the folder empty
    (and the demo can simply be tried again) rather than half filled.
    """
    with services.db.unit_of_work() as session:
        _refuse_unless_empty(session, services)
        summary = _populate(session, services, today)
    return summary


def _populate(session: Session, services: AppServices, today: date) -> DemoSummary:
    rng = random.Random(DEMO_SEED)

    def days_ago(days: int | None) -> date | None:
        return None if days is None else today - timedelta(days=days)

    org_ids: dict[str, int] = {}
    for org in _ORGANISATIONS:
        created = services.organisations.add_in(
            session, Organisation(org.name, org.sector, org.aliases)
        )
        org_ids[org.key] = _saved(created.id)

    home = next(o for o in _ORGANISATIONS if o.key == HOME_ORGANISATION)
    services.profile.set_up_in(
        session, name=DEMO_NAME, role=DEMO_ROLE, organisation=home.name, sector=home.sector
    )

    contact_ids: dict[str, int] = {}
    for person in _PEOPLE:
        roles = tuple(
            ContactRole(org_ids[r.org], r.title, days_ago(r.since), days_ago(r.until))
            for r in person.roles
        )
        contact = services.contacts.add_in(session, Contact(person.name, person.notes, roles))
        contact_ids[person.key] = _saved(contact.id)

    activities: dict[str, Activity] = {}
    for spec in _ACTIVITIES:
        start, end = _schedule(spec, today, rng)
        activities[spec.key] = services.activities.add_in(
            session,
            Activity(
                type=spec.type,
                title=spec.title,
                start=start,
                end=end,
                hours=spec.hours,
                organisation_ids=tuple(org_ids[k] for k in spec.orgs),
                extra_sector_ids=spec.extra_sectors,
                contact_ids=tuple(contact_ids[k] for k in spec.contacts),
                description=spec.description,
                visibility=Visibility.SHARED if spec.shared else Visibility.PRIVATE,
                status=Status.PLANNED if spec.days_ago < 0 else Status.DONE,
            ),
        )

    for lesson in _LESSONS:
        activity = activities[lesson.activity] if lesson.activity else None
        if activity is None:
            recorded = today - timedelta(days=lesson.days_ago)
        else:
            # Written up a few days after the activity ended, never in the future.
            recorded = min(today, activity.last_day + timedelta(days=rng.randint(1, 10)))
        sections = {s: LessonField() for s in LessonSection}
        sections.update({s: LessonField(text, shared) for s, text, shared in lesson.sections})
        services.lessons.add_in(
            session,
            Lesson(
                lesson.title,
                activity_id=activity.id if activity else None,
                recorded_on=recorded,
                sections=sections,
            ),
        )

    _add_evidence(session, services, activities)
    goals = _add_review_and_goals(session, services, today)
    return DemoSummary(
        organisations=len(_ORGANISATIONS),
        contacts=len(_PEOPLE),
        activities=len(_ACTIVITIES),
        planned=sum(1 for a in _ACTIVITIES if a.days_ago < 0),
        lessons=len(_LESSONS),
        goals=goals,
        reviews=1,
    )


# Small evidence files on demo activities: (activity, file name, contents, shared).
_EVIDENCE = (
    (
        "sab-conference",
        "Conference agenda.txt",
        "Safeguarding adults board annual conference (demo)\n\n"
        "09:30  Welcome and the year in numbers\n"
        "10:15  Learning from two safeguarding adults reviews\n"
        "11:30  Workshops: self-neglect; hoarding; transitions to adulthood\n"
        "14:00  Panel: police, probation and mental health services\n"
        "15:30  Close\n",
        True,
    ),
    (
        "icb-secondment",
        "Secondment objectives.txt",
        "Secondment objectives (demo)\n\n"
        "1. Review discharge to assess bed use with the ageing well team.\n"
        "2. Draft the business case for next year's commissioning.\n"
        "3. Share what I learn with the hospital discharge team when I return.\n",
        True,
    ),
    (
        "icb-secondment",
        "My notes for supervision.txt",
        "Private notes (demo): what I want to talk through at supervision.\n",
        False,
    ),
)


def _add_evidence(session: Session, services: AppServices, activities: dict[str, Activity]) -> None:
    """Added at 5 pm on the activity's last day, so the same day gives the same data."""
    for key, name, text, shared in _EVIDENCE:
        activity = activities[key]
        services.evidence.add_in(
            session,
            name,
            text.encode("utf-8"),
            activity_id=activity.id,
            visibility=Visibility.SHARED if shared else Visibility.PRIVATE,
            added_at=datetime.combine(activity.last_day, time(17), UTC),
        )


def _add_review_and_goals(session: Session, services: AppServices, today: date) -> int:
    """Last spring's appraisal, the two objectives agreed at it, and one goal of Alex's own."""
    services.reviews.record_in(
        session,
        Review(
            held_on=today - timedelta(days=210),
            reviewer_name="Sam Okoro (demo)",
            reviewer_role="Head of adult social care",
            comments=(
                "A year of real reach beyond the council: the ICB secondment and the Home First "
                "project stand out. Next, the justice system and employment support, where our "
                "people's journeys often start or stall."
            ),
        ),
        [
            Goal(
                "Understand how probation supports people leaving prison",
                ("justice",),
                today + timedelta(days=150),
            ),
            Goal(
                "Work with the Jobcentre on carers returning to work",
                ("employment-services",),
                today + timedelta(days=330),
            ),
        ],
    )
    services.goals.add_in(
        session,
        Goal(
            "Learn how national policy on adult social care is made",
            ("central-government",),
            None,
            "My own goal: ask about a short secondment or an action-learning set.",
        ),
    )
    return 3


def _refuse_unless_empty(session: Session, services: AppServices) -> None:
    """Checked in the demo's own unit of work, so nothing can be added between check and fill."""
    tables: list[tuple[type[t.Base], str]] = [
        (t.ProfileRow, "a profile"),
        (t.ActivityRow, "activities"),
        (t.OrganisationRow, "organisations"),
        (t.ContactRow, "contacts"),
        (t.LessonRow, "lessons"),
        (t.GoalRow, "goals or reviews"),
        (t.ReviewRow, "goals or reviews"),
    ]
    for table, found in tables:
        if session.scalar(select(func.count()).select_from(table)):
            raise ServiceError(
                f"demo data can only be added to an empty data folder, and "
                f"{services.paths.data_dir} already has {found}"
            )


def _schedule(spec: _Act, today: date, rng: random.Random) -> tuple[date, date | None]:
    """The activity's dates: nudged by a few days, then moved off weekends (done ones earlier,
    planned ones later), so a done activity stays in the past and a planned one in the future."""
    step = timedelta(days=1 if spec.days_ago < 0 else -1)
    start = today - timedelta(days=spec.days_ago + rng.randint(-MAX_JITTER_DAYS, MAX_JITTER_DAYS))
    if spec.days_ago < 0 and start <= today:
        start = today + timedelta(days=1)
    length = timedelta(days=spec.span)
    while start.weekday() >= 5 or (start + length).weekday() >= 5:
        start += step
    return start, (start + length if spec.span else None)


def _saved(record_id: int | None) -> int:
    if record_id is None:
        raise ServiceError("a demo record was not saved")
    return record_id
