"""The Leap2A 2010-07 terms the package uses, spelt exactly as Mahara's importer reads them.

Mahara matches CURIEs as text against the prefixes a feed declares, and only knows the 2010-07
namespaces when `leap2:version` names that version: so the prefixes are the literal `leap2`
and `categories`, every type is an `rdf:type` with a `leap2:` resource, and every category
scheme ends in `#`. The relations are the ones Mahara's own export writes and its import reads
(has_part/is_part_of, supports/is_supported_by, reflects_on/reflected_on_by); files are linked
only with Atom's `enclosure`, entries to entries with `related` or a `leap2:` relation (the
2010-07 change notes forbid `enclosure` between entries).
"""

from __future__ import annotations

from portfolio_app.domain.enums import ActivityType

ATOM_NS = "http://www.w3.org/2005/Atom"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2_NS = "http://terms.leapspecs.org/"
CATEGORIES_NS = "http://wiki.leapspecs.org/2A/categories/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Our entry ids are CURIEs in a namespace of our own ("portfolio:activity-12"), as Mahara's are.
PORTFOLIO_NS = "urn:x-portfolio-app:"
LEAP2A_VERSION = "http://www.leapspecs.org/2010-07/2A/"

# The feed's namespace declarations, in the order they are written. The prefixes are part of
# the format (Mahara reads `leap2:` and `categories:` literally), not a choice of the writer.
NAMESPACES: tuple[tuple[str, str], ...] = (
    ("xmlns", ATOM_NS),
    ("xmlns:rdf", RDF_NS),
    ("xmlns:leap2", LEAP2_NS),
    ("xmlns:categories", CATEGORIES_NS),
    ("xmlns:portfolio", PORTFOLIO_NS),
)

# The zip's layout: one feed at the root (Mahara looks for this name), the files beside it.
FEED_NAME = "leap2a.xml"
FILES_FOLDER = "files/"

# Item types (`<rdf:type rdf:resource="leap2:…"/>`).
ACTIVITY = "leap2:activity"
MEETING = "leap2:meeting"
ORGANIZATION = "leap2:organization"
ENTRY = "leap2:entry"
RESOURCE = "leap2:resource"

# Relations (`<link rel="…" href="entry id"/>`), each with the inverse written on the other end.
IS_SUPPORTED_BY = "leap2:is_supported_by"  # activity -> organisation that hosted or ran it
SUPPORTS = "leap2:supports"
REFLECTS_ON = "leap2:reflects_on"  # lesson -> its activity
REFLECTED_ON_BY = "leap2:reflected_on_by"
RELATED = "related"  # Atom's own, symmetric: activity <-> evidence file, contact's organisation
ENCLOSURE = "enclosure"  # a resource entry -> its file in the zip (never entry to entry)
INVERSE = {
    IS_SUPPORTED_BY: SUPPORTS,
    SUPPORTS: IS_SUPPORTED_BY,
    REFLECTS_ON: REFLECTED_ON_BY,
    REFLECTED_ON_BY: REFLECTS_ON,
    RELATED: RELATED,
}

# Category schemes (`<category scheme="…#" term="…"/>`).
LIFE_AREA = "categories:life_area#"  # Mahara imports an activity only with one (Work)
WORK = "Work"
RESOURCE_TYPE = "categories:resource_type#"  # a file held offline from the feed
OFFLINE = "Offline"
SECTOR = "portfolio:sector#"  # the taxonomy's sector id as term, its label as label

# Types of work that are a meeting of people rather than a stretch of work: Leap2A's `meeting`
# ("two or more people, held at a place between specific times"). The rest are `activity`.
MEETING_TYPES = frozenset(
    {
        ActivityType.MENTORING_GIVEN,
        ActivityType.MENTORING_RECEIVED,
        ActivityType.ACTION_LEARNING,
        ActivityType.PEER_EVENT,
    }
)


def item_type(activity_type: ActivityType) -> str:
    return MEETING if activity_type in MEETING_TYPES else ACTIVITY
