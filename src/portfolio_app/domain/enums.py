"""Fixed vocabularies: activity types, visibility and status, with their user-facing labels."""

from __future__ import annotations

from enum import StrEnum


class ActivityType(StrEnum):
    SECONDMENT = "secondment"
    MENTORING_GIVEN = "mentoring-given"
    MENTORING_RECEIVED = "mentoring-received"
    SHADOWING = "shadowing"
    PEER_EVENT = "peer-event"
    JOINT_PROJECT = "joint-project"
    ACTION_LEARNING = "action-learning"
    TRAINING = "training"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> ActivityType:
        """Accept the slug ('peer-event'), the label ('Peer event') or close variants, any case."""
        key = " ".join(text.strip().casefold().replace("_", "-").split())
        for member in cls:
            if key in (member.value, member.label.casefold(), member.value.replace("-", " ")):
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"unknown activity type {text.strip()!r} (use one of: {choices})")


_TYPE_LABELS = {
    ActivityType.SECONDMENT: "Secondment",
    ActivityType.MENTORING_GIVEN: "Mentoring given",
    ActivityType.MENTORING_RECEIVED: "Mentoring received",
    ActivityType.SHADOWING: "Shadowing",
    ActivityType.PEER_EVENT: "Peer event",
    ActivityType.JOINT_PROJECT: "Joint project",
    ActivityType.ACTION_LEARNING: "Action-learning set",
    ActivityType.TRAINING: "Training",
    ActivityType.OTHER: "Other",
}


class Visibility(StrEnum):
    PRIVATE = "private"
    SHARED = "shared"

    @property
    def label(self) -> str:
        return "Shared" if self is Visibility.SHARED else "Private"


class Status(StrEnum):
    DONE = "done"
    PLANNED = "planned"

    @property
    def label(self) -> str:
        return "Done" if self is Status.DONE else "Planned"


class LessonSection(StrEnum):
    """The structured parts of a lesson; each has its own visibility."""

    WHAT_HAPPENED = "what_happened"
    WHAT_WORKED = "what_worked"
    WHAT_DID_NOT_WORK = "what_did_not_work"
    DO_DIFFERENTLY = "do_differently"
    NEXT_STEP = "next_step"

    @property
    def label(self) -> str:
        return _SECTION_LABELS[self]


_SECTION_LABELS = {
    LessonSection.WHAT_HAPPENED: "What happened",
    LessonSection.WHAT_WORKED: "What worked",
    LessonSection.WHAT_DID_NOT_WORK: "What did not work",
    LessonSection.DO_DIFFERENTLY: "What I would do differently",
    LessonSection.NEXT_STEP: "Next step",
}
