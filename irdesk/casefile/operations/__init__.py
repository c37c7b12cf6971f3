"""The named operations: the only way anything changes a case.

Each one checks its rules, writes in one transaction with its audit entries, and returns
``Done(value, changes)``: its result and the typed change set views refresh from. The CLI,
the GUI, JSON import and merge all call these, so a rule holds whichever way a change
arrives. Use them as ``from irdesk.casefile import operations as ops``.
"""

from irdesk.casefile.operations.actions import add_action, edit_action
from irdesk.casefile.operations.base import operation
from irdesk.casefile.operations.case import change_passphrase, edit_case, repair_search_index, set_status
from irdesk.casefile.operations.contacts import (
    ContactImport,
    IncomingContact,
    add_contact,
    add_engagement,
    edit_contact,
    edit_engagement,
    import_contacts,
)
from irdesk.casefile.operations.evidence import add_custody, add_evidence, add_evidence_file, attach, edit_evidence
from irdesk.casefile.operations.notes import add_note, amend_note, edit_note
from irdesk.casefile.operations.records import (
    IncomingIndicator,
    IndicatorImport,
    add_checklist_items,
    add_found_indicators,
    add_indicator,
    delete,
    edit_checklist_item,
    edit_indicator,
    import_indicators,
    indicator_candidates,
    record_report,
)
from irdesk.casefile.operations.regulatory import (
    add_notification,
    add_regime,
    deadlines,
    delete_regime,
    edit_notification,
    edit_regime,
)
from irdesk.casefile.operations.restoring import deleted_items, restore_deleted, restore_note_version
from irdesk.casefile.operations.transfer import import_records, merge, merge_copy, settle_conflict

__all__ = [
    "ContactImport",
    "IncomingContact",
    "IncomingIndicator",
    "IndicatorImport",
    "add_action",
    "add_checklist_items",
    "add_contact",
    "add_custody",
    "add_engagement",
    "add_evidence",
    "add_evidence_file",
    "add_found_indicators",
    "add_indicator",
    "add_note",
    "add_notification",
    "add_regime",
    "amend_note",
    "attach",
    "change_passphrase",
    "deadlines",
    "delete",
    "deleted_items",
    "delete_regime",
    "edit_action",
    "edit_case",
    "edit_checklist_item",
    "edit_contact",
    "edit_engagement",
    "edit_evidence",
    "edit_indicator",
    "edit_note",
    "edit_notification",
    "edit_regime",
    "import_contacts",
    "import_indicators",
    "import_records",
    "indicator_candidates",
    "merge",
    "merge_copy",
    "operation",
    "record_report",
    "repair_search_index",
    "restore_deleted",
    "restore_note_version",
    "set_status",
    "settle_conflict",
]
