"""Regimes and notifications in the case file: their rules, and their round trips through every
path that copies records (JSON export and import, restore, hand-off, merge, check)."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import schema
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import to_dict
from irdesk.domain.deadlines import DeadlineState
from irdesk.domain.enums import ContactKind, RegimeKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import Notification, Regime
from irdesk.interop.exporting import export_case
from irdesk.interop.jsonimport import load_export, merge_export, restore_export
from tests.conftest import PASSPHRASE

COLLEAGUE = "violet-anchor-93-meadow-x"


def at(text: str) -> Moment:
    return Moment.parse(text)


@pytest.fixture
def dpa(case):
    return ops.add_contact(case, "Autoriteit Persoonsgegevens", kind=ContactKind.REGULATOR).value


@pytest.fixture
def nis2(case):
    return ops.add_regime(case, RegimeKind.NIS2, aware_at=at("2026-10-12T08:10+01:00"), jurisdiction="nl").value


def refused(match: str, fn, *args, **kwargs) -> None:
    with pytest.raises(NotAllowed, match=match):
        fn(*args, **kwargs)


# ---------------------------------------------------------------- the rules


def test_a_regime_is_stored_as_given_and_listed_with_its_deadlines(case, nis2, dpa):
    assert nis2.jurisdiction == "NL"  # normalised
    ops.add_notification(case, nis2.id, "Early warning", at("2026-10-12T20:00+01:00"), dpa.id, reference="EW-7")
    [early, notified, final] = ops.deadlines(case, at("2026-10-13T12:00+01:00"))
    assert (early.state, notified.state, final.state) == (
        DeadlineState.MET, DeadlineState.OPEN, DeadlineState.NOT_TRIGGERED)
    assert early.sent.reference == "EW-7" and early.sent.stage == "early-warning"


def test_sec_counts_us_business_days_unless_told_otherwise(case):
    regime = ops.add_regime(case, RegimeKind.SEC_8K, determined_at=at("2026-11-23T10:00-05:00")).value
    assert regime.jurisdiction == "US"


def test_times_outside_the_bounds_are_refused(case, nis2, dpa):
    refused(r"The regime's awareness time 2101-01-01T00:00:00.000000\+00:00 is out of range", ops.add_regime,
            case, RegimeKind.GDPR, aware_at=at("2101-01-01T00:00Z"))
    refused("awareness time 1969-12-31T23:59:00.000000\\+00:00 is out of range", ops.add_regime, case,
            RegimeKind.GDPR, aware_at=at("1969-12-31T23:59Z"))
    refused("classification as major time .* out of range", ops.add_regime, case, RegimeKind.DORA,
            aware_at=at("2026-01-01T00:00Z"), classified_at=at("2101-01-01T00:00Z"))
    refused("The notification's sent time .* is out of range", ops.add_notification, case, nis2.id, "early-warning",
            at("2101-06-01T00:00Z"), dpa.id)
    ops.add_regime(case, RegimeKind.GDPR, aware_at=at("1970-01-01T00:00Z"))  # the first instant is fine


def test_a_regime_uses_only_its_own_triggers_and_they_follow_awareness(case):
    refused("GDPR has no clock that starts at the ransom payment", ops.add_regime, case, RegimeKind.GDPR,
            ransom_paid_at=at("2026-10-12T08:00Z"))
    refused(r"classification as major \(2026-10-12 07:00 \+00:00\) cannot come before awareness "
            r"\(2026-10-12 08:00 \+00:00\)", ops.add_regime, case, RegimeKind.DORA,
            aware_at=at("2026-10-12T08:00Z"), classified_at=at("2026-10-12T07:00Z"))
    dora = ops.add_regime(case, RegimeKind.DORA, aware_at=at("2026-10-12T08:00Z")).value
    refused("cannot come before awareness", ops.edit_regime, case, dora.id, classified_at=at("2026-10-11T08:00Z"))


def test_custom_regimes_need_a_name_stages_that_parse_and_a_calendar_for_business_days(case):
    refused("needs a name", ops.add_regime, case, RegimeKind.CUSTOM, stages=["notification=72h"])
    refused("at least one stage", ops.add_regime, case, RegimeKind.CUSTOM, name="ICO")
    refused("not a period", ops.add_regime, case, RegimeKind.CUSTOM, name="ICO", stages=["notification=soon"])
    refused("give the jurisdiction", ops.add_regime, case, RegimeKind.CUSTOM, name="BaFin", stages=["r=2bd"])
    refused("not a country code", ops.add_regime, case, RegimeKind.CUSTOM, name="BaFin", stages=["r=2bd"],
            jurisdiction="ZZ")
    refused("has fixed stages", ops.add_regime, case, RegimeKind.GDPR, stages=["x=1h"])
    refused("not a time zone", ops.add_regime, case, RegimeKind.GDPR, time_zone="Mars/Olympus")
    ico = ops.add_regime(case, RegimeKind.CUSTOM, name="UK ICO",
                         stages=["initial = 72h", "follow-up=1mo after initial"]).value
    assert ico.stages == ("initial = 72h", "follow-up=1mo after initial")
    refused("already applies", ops.add_regime, case, RegimeKind.CUSTOM, name="uk ico", stages=["x=1h"])


def test_a_notifications_stage_must_belong_to_its_regime(case, nis2, dpa):
    refused("NIS2 has no stage “report”; its stages are early-warning, incident-notification, final-report",
            ops.add_notification, case, nis2.id, "report", at("2026-10-12T20:00+01:00"), dpa.id)


def test_a_notification_is_never_sent_before_its_clock_starts(case, nis2, dpa):
    refused(r"The NIS2 early warning is sent at 2026-10-12 07:00 \+01:00, before awareness at 2026-10-12 08:10 \+01:00",
            ops.add_notification, case, nis2.id, "early-warning", at("2026-10-12T07:00+01:00"), dpa.id)
    notified = ops.add_notification(case, nis2.id, "incident-notification", at("2026-10-14T19:40+01:00"),
                                    dpa.id).value
    refused("before the incident notification it follows", ops.add_notification, case, nis2.id, "final-report",
            at("2026-10-14T18:00+01:00"), dpa.id)
    ops.add_notification(case, nis2.id, "final-report", at("2026-11-20T10:00+01:00"), dpa.id,
                         late_reason="The MSP's root-cause analysis came on 17 November.")
    # Moving the regime's awareness after a notification it already holds is refused too.
    refused(r"is sent at 2026-10-14 19:40 \+01:00, before awareness", ops.edit_regime, case, nis2.id,
            aware_at=at("2026-10-15T08:00+01:00"))
    refused("final report is sent at .* before the incident notification", ops.edit_notification, case, notified.id,
            sent_at=at("2026-11-21T10:00+01:00"))


def test_a_custom_regime_cannot_drop_a_stage_a_notification_was_sent_under(case, dpa):
    ico = ops.add_regime(case, RegimeKind.CUSTOM, name="ICO", stages=["initial=72h", "follow-up=1mo after initial"],
                         aware_at=at("2026-03-01T09:00Z")).value
    ops.add_notification(case, ico.id, "follow-up", at("2026-03-02T09:00Z"), dpa.id)
    refused("would no longer have", ops.edit_regime, case, ico.id, stages=("initial=72h",))


def test_notifications_need_a_live_regime_and_contact(case, nis2, dpa):
    with pytest.raises(Exception, match="no contact"):
        ops.add_notification(case, nis2.id, "early-warning", at("2026-10-12T20:00+01:00"), "no-such-contact")
    gone = ops.add_contact(case, "Old regulator", kind=ContactKind.REGULATOR).value
    ops.delete(case, type(gone), gone.id)
    refused("was deleted", ops.add_notification, case, nis2.id, "early-warning", at("2026-10-12T20:00+01:00"),
            gone.id)


def test_deleting_a_regime_deletes_its_notifications(case, nis2, dpa):
    n = ops.add_notification(case, nis2.id, "early-warning", at("2026-10-12T20:00+01:00"), dpa.id).value
    done = ops.delete_regime(case, nis2.id)
    assert done.changes.ids(Regime.KIND) == {nis2.id} and done.changes.ids(Notification.KIND) == {n.id}
    assert case.records.all(Regime) == [] and case.records.all(Notification) == []
    assert ops.deadlines(case) == []
    refused("was deleted", ops.add_notification, case, nis2.id, "early-warning", at("2026-10-13T20:00+01:00"),
            dpa.id)
    assert check_case(case).ok


def test_operations_announce_their_kinds(case, nis2, dpa):
    done = ops.add_notification(case, nis2.id, "early-warning", at("2026-10-12T20:00+01:00"), dpa.id)
    assert done.changes.touches(Notification.KIND) and not done.changes.touches(Regime.KIND)
    assert ops.edit_regime(case, nis2.id, time_zone="Europe/Amsterdam").changes.touches(Regime.KIND)


# ---------------------------------------------------------------- every path that copies records


def fill(case: CaseFile, dpa) -> tuple[Regime, Notification]:
    regime = ops.add_regime(case, RegimeKind.CUSTOM, name="UK ICO", time_zone="Europe/London",
                            stages=["initial=72h", "follow-up=1mo after initial"],
                            aware_at=at("2026-03-01T09:00Z")).value
    regime = ops.edit_regime(case, regime.id, aware_at=at("2026-03-01T08:00Z")).value  # a kept revision
    n = ops.add_notification(case, regime.id, "initial", at("2026-03-05T09:00Z"), dpa.id, reference="ICO/1",
                             late_reason="Waiting for the processor").value
    return regime, n


def records_of(case: CaseFile) -> list[dict]:
    return [to_dict(r) for cls in (Regime, Notification) for r in case.records.all(cls, include_deleted=True)]


def test_json_export_and_restore_keep_regimes_and_notifications(case, dpa, tmp_path):
    fill(case, dpa)
    target = str(tmp_path / "case.json")
    export_case(case, "json", target)
    with open(target, "rb") as handle:
        export = load_export(handle)
    restored = restore_export(str(tmp_path / "restored.ircase"), PASSPHRASE, export, actor="T", source="json")
    try:
        assert records_of(restored) == records_of(case)
        assert [len(restored.records.history(Regime, r.id)) for r in restored.records.all(Regime)] == [1]
        assert [d.describe() for d in ops.deadlines(restored)] == [d.describe() for d in ops.deadlines(case)]
        assert check_case(restored).ok
    finally:
        restored.close()


def test_json_import_merges_a_colleagues_notification(case, dpa, tmp_path):
    regime, _ = fill(case, dpa)
    copy_path = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy_path, COLLEAGUE)
    with CaseFile.open(copy_path, COLLEAGUE, actor="Ben") as copy:
        later = ops.add_notification(copy, regime.id, "follow-up", at("2026-04-01T09:00Z"), dpa.id).value
        export_case(copy, "json", str(tmp_path / "copy.json"))
    with open(tmp_path / "copy.json", "rb") as handle:
        merge_export(case, load_export(handle), source="json copy")
    assert case.records.get(Notification, later.id) == later
    assert check_case(case).ok


def test_hand_off_and_merge_keep_regimes_and_notifications(case, dpa, tmp_path):
    regime, n = fill(case, dpa)
    copy_path = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy_path, COLLEAGUE)
    with CaseFile.open(copy_path, COLLEAGUE, actor="Ben") as copy:
        assert records_of(copy) == records_of(case)
        ops.edit_notification(copy, n.id, reference="ICO/1-final")
        gdpr = ops.add_regime(copy, RegimeKind.GDPR, aware_at=at("2026-03-01T08:00Z")).value
    result = ops.merge_copy(case, copy_path, COLLEAGUE)
    assert result.plan.added == 1 and result.plan.updated == 1
    assert case.records.get(Notification, n.id).reference == "ICO/1-final"
    assert case.records.get(Regime, gdpr.id).kind is RegimeKind.GDPR
    assert check_case(case).ok
    assert ops.merge_copy(case, copy_path, COLLEAGUE).plan.empty  # a second merge changes nothing


def test_check_catches_a_changed_notification(case, dpa):
    from tests.casefile.tamper import raw_connect

    _, n = fill(case, dpa)
    raw, path = case.raw_key(), case.path
    case.close()
    conn = raw_connect(path, raw)
    conn.execute("UPDATE notifications SET sent_at = '2026-03-03T09:00:00.000000+00:00' WHERE id = ?", (n.id,))
    conn.commit()
    conn.close()
    with CaseFile.open(path, PASSPHRASE, writable=False) as reopened:
        report = check_case(reopened)
    assert not report.ok and f"The notification {n.id} differs from what the audit chain recorded." in report.problems


def test_a_merge_does_not_refuse_what_each_copy_allowed(case, dpa, tmp_path):
    """One copy moves awareness later, the other logs a notification before the new time: the
    merge keeps both (the schedule shows the notification as sent)."""
    nis2 = ops.add_regime(case, RegimeKind.NIS2, aware_at=at("2026-10-12T08:00Z")).value
    copy_path = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy_path, COLLEAGUE)
    with CaseFile.open(copy_path, COLLEAGUE, actor="Ben") as copy:
        ops.add_notification(copy, nis2.id, "early-warning", at("2026-10-12T09:00Z"), dpa.id)
    ops.edit_regime(case, nis2.id, aware_at=at("2026-10-12T10:00Z"))
    ops.merge_copy(case, copy_path, COLLEAGUE)
    assert len(case.records.all(Notification)) == 1 and check_case(case).ok


# ---------------------------------------------------------------- the schema step


def regulatory_version() -> int:
    return 1 + next(v for v, step in schema.MIGRATIONS.items() if step is schema.add_regulatory_tables)


def test_the_migration_step_adds_only_the_regulatory_tables():
    version = regulatory_version()
    added = schema.expected_objects(version) - schema.expected_objects(version - 1)
    assert {row[1] for row in added} == {"regimes", "notifications", "notifications_by_regime",
                                         "sqlite_autoindex_regimes_1", "sqlite_autoindex_notifications_1"}
    assert schema.expected_objects(version - 1) <= schema.expected_objects(version)
    assert schema.TABLES["regime"] == "regimes" and schema.TABLES["notification"] == "notifications"
