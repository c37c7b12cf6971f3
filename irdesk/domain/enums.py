"""The fixed vocabularies of a case: phases, gap categories, markings and statuses."""

from __future__ import annotations

from enum import StrEnum


class RecordKind(StrEnum):
    """The kinds of record a case or a book holds: the names their tables, audit chains and exports use."""

    CASE = "case"
    NOTE = "note"
    EVIDENCE = "evidence"
    CUSTODY = "custody"
    CONTACT = "contact"
    ENGAGEMENT = "engagement"
    ACTION = "action"
    ATTACHMENT = "attachment"
    CHECKLIST = "checklist"
    REPORT = "report"
    INDICATOR = "indicator"
    SETTLEMENT = "settlement"
    SYSTEM = "system"
    # The readiness book's own kinds (irdesk.domain.book).
    BOOK = "book"
    BOOK_CONTACT = "book-contact"
    VENDOR = "vendor"
    REGISTER = "register"
    FILED_ENGAGEMENT = "filed-engagement"
    FILED_EVIDENCE = "filed-evidence"
    FILED_GAP = "filed-gap"
    BOOK_ACTION = "book-action"
    REGIME = "regime"
    NOTIFICATION = "notification"


class Phase(StrEnum):
    """The four phases of NIST SP 800-61 Rev. 2, one tab each."""

    PREPARATION = "preparation"
    DETECTION = "detection"
    CONTAINMENT = "containment"
    POST_INCIDENT = "post-incident"

    @property
    def label(self) -> str:
        return _PHASE_LABELS[self][0]

    @property
    def csf(self) -> str:
        """The CSF 2.0 Functions (SP 800-61 Rev. 3) this phase maps to."""
        return _PHASE_LABELS[self][1]


_PHASE_LABELS = {
    Phase.PREPARATION: ("Preparation", "Govern (GV), Identify (ID), Protect (PR)"),
    Phase.DETECTION: ("Detection & Analysis", "Detect (DE), Respond: analysis (RS.AN)"),
    Phase.CONTAINMENT: ("Containment, Eradication & Recovery", "Respond (RS), Recover (RC)"),
    Phase.POST_INCIDENT: ("Post-incident Activity", "Identify: Improvement (ID.IM)"),
}


class Gap(StrEnum):
    """Why the response slowed down at this point."""

    COMMUNICATION = "communication"
    ACCESS = "access"
    VISIBILITY = "visibility"
    TOOLING = "tooling"
    AUTHORIZATION = "authorization"
    VENDOR = "vendor"
    DOCUMENTATION = "documentation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 markings."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def label(self) -> str:
        return "TLP:" + self.value.upper()

    @property
    def rank(self) -> int:
        """How strict the marking is: CLEAR 0 … RED 4."""
        return list(Tlp).index(self)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class CaseStatus(StrEnum):
    """Open → contained → recovered → closed."""

    OPEN = "open"
    CONTAINED = "contained"
    RECOVERED = "recovered"
    CLOSED = "closed"


class EvidenceStatus(StrEnum):
    """Needed → requested → collected → verified, or unavailable (with a reason)."""

    NEEDED = "needed"
    REQUESTED = "requested"
    COLLECTED = "collected"
    VERIFIED = "verified"
    UNAVAILABLE = "unavailable"


class EvidenceKind(StrEnum):
    DISK_IMAGE = "disk-image"
    MEMORY_IMAGE = "memory-image"
    LOG = "log"
    NETWORK_CAPTURE = "network-capture"
    FILE = "file"
    SCREENSHOT = "screenshot"
    EMAIL = "email"
    DOCUMENT = "document"
    OTHER = "other"


class CustodyAction(StrEnum):
    COLLECTED = "collected"
    TRANSFERRED = "transferred"
    STORED = "stored"
    EXAMINED = "examined"
    RETURNED = "returned"
    DESTROYED = "destroyed"


class ContactKind(StrEnum):
    INTERNAL = "internal"
    VENDOR = "vendor"
    LAW_ENFORCEMENT = "law-enforcement"
    REGULATOR = "regulator"
    LEGAL = "legal"
    COMMUNICATIONS = "communications"
    OTHER = "other"


class ActionStatus(StrEnum):
    """Proposed → accepted → implemented → tested, or waived with a reason."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    IMPLEMENTED = "implemented"
    TESTED = "tested"
    WAIVED = "waived"

    @property
    def settled(self) -> bool:
        """True when the item no longer holds the case open."""
        return self in (ActionStatus.TESTED, ActionStatus.WAIVED)


class IndicatorKind(StrEnum):
    """What an indicator of compromise is; the names follow STIX cyber-observable types."""

    IPV4 = "ipv4"
    IPV6 = "ipv6"
    DOMAIN = "domain"
    URL = "url"
    EMAIL = "email"
    SHA256 = "sha256"
    SHA1 = "sha1"
    MD5 = "md5"
    FILE_NAME = "file-name"


class Resolution(StrEnum):
    """How a conflict a merge left was settled: keep the current version, take the other, keep both."""

    KEEP_CURRENT = "keep-current"
    TAKE_OTHER = "take-other"
    KEEP_BOTH = "keep-both"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class RegimeKind(StrEnum):
    """A notification regime a case may fall under (see docs/REGULATORY.md)."""

    GDPR = "gdpr"
    NIS2 = "nis2"
    DORA = "dora"
    SEC_8K = "sec-8k"
    CIRCIA = "circia"
    CUSTOM = "custom"
