"""A drill case from the readiness book: the people to reach and the logs to request, each an
engagement or an evidence request logged exactly as in an incident.

``plan_from_book`` reads the book through its verified reader and picks (``domain/drills.py``);
``start_drill`` writes the plan into a new case (in its creating transaction): the chosen
contacts and systems are copied in keeping their UUIDs (as ``starting.start_from_book`` does),
so filing the drill back updates the very same directory entries and systems.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.operations.base import operation
from irdesk.casefile.outputs import Notice, check_destination
from irdesk.casefile.starting import contact_from_directory
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookContact
from irdesk.domain.drills import DrillPlan, least_recently_obtained, least_recently_verified, plan_drill
from irdesk.domain.enums import EvidenceKind, Phase, Tlp
from irdesk.domain.records import RecordId, System


def plan_from_book(book: BookFile, *, contact_count: int | None = None, system_count: int | None = None,
                   named_contacts: Sequence[str] = (), named_systems: Sequence[str] = ()) -> DrillPlan:
    """The drill's tasks, picked from the book's directory and systems (see ``plan_drill``)."""
    with book.verified():
        contacts = book.records.all(BookContact)
        systems = book.records.all(System)
    return plan_drill(contacts, systems, contact_count=contact_count, system_count=system_count,
                      named_contacts=named_contacts, named_systems=named_systems)


def drill_choices(book: BookFile) -> tuple[list[BookContact], list[System]]:
    """The directory and the systems, least recently verified (obtained) first: what a drill
    dialog offers, in the order ``plan_drill`` picks from."""
    with book.verified():
        return (least_recently_verified(book.records.all(BookContact)),
                least_recently_obtained(book.records.all(System)))


@dataclass(frozen=True)
class FromBook:
    """Which book a drill comes from: its file (never written over), its id and chain head."""

    path: str
    book_id: str
    chain_head: str

    @classmethod
    def of(cls, book: BookFile) -> FromBook:
        return cls(book.path, book.book_id, book.chain_head)


def write_drill(path: str, passphrase: str, plan: DrillPlan, *, title: str, tlp: Tlp, actor: str, book: FromBook,
                notice: Notice | None = None) -> CaseFile:
    """Create the drill case at ``path`` through the outputs gate (never over the book, a case,
    or any existing file) and write ``plan`` into it; the caller closes the returned case.

    Touches no connection to the book (``book`` is what was read from it), so the GUI runs
    this slow step (the key derivation) on a pool thread.
    """
    check_destination(path, protect=(book.path,))
    return CaseFile.create(path, passphrase, title=title, actor=actor, tlp=tlp, drill=True, notice=notice,
                           fill=lambda new: start_drill(new, plan, book_id=book.book_id, book_head=book.chain_head))


@operation
def start_drill(case: CaseFile, plan: DrillPlan, *, book_id: str, book_head: str) -> DrillPlan:
    """Write ``plan`` into ``case``: its contacts and systems, one engagement per person to reach,
    one evidence request per system, and a preparation note listing the tasks.

    The drill starts now (its detected time), and each person is needed from now; the responder
    then logs when they tried, reached and received, as in an incident.
    """
    source = f"drill from the book {book_id} at chain head {book_head}"
    now = case.clock()
    for entry in plan.people():
        case.records.put(contact_from_directory(entry, now=now, actor=case.actor), action="create", source=source)
    for task in plan.systems:
        owner = task.system.owner_id if task.owner is not None else None  # an owner the case holds, or none
        case.records.put(dataclasses.replace(task.system, owner_id=owner, rev=str(uuid.uuid4()), parent_rev=None,
                                             created=now, updated=now, author=case.actor),
                         action="create", source=source)
    ops.edit_case(case, drill=True, detected_at=now)
    for contact_task in plan.contacts:
        ops.add_engagement(case, contact_task.contact.id, contact_task.sentence(), needed_at=now)
    for system_task in plan.systems:
        ops.add_evidence(case, system_task.sentence(), kind=EvidenceKind.LOG, system_id=system_task.system.id,
                         requested_from=RecordId(system_task.owner.id) if system_task.owner is not None else None)
    lines = [f"This drill was generated from the readiness book: {plan.tasks} task(s). Log each one as in an "
             "incident: when you first tried, when you reached the person, when the logs arrived (or why not)."]
    lines += [f"- {sentence}" for sentence in plan.sentences()]
    ops.add_note(case, Phase.PREPARATION, "\n".join(lines), occurred=now)
    return plan
