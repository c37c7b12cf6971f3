"""The Book window's trend charts (incidents and drills apart) and Book ▸ New drill… (offscreen)."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.drilling import plan_from_book, start_drill
from irdesk.casefile.filing import file_case
from irdesk.casefile.operations.book import add_book_contact, add_system
from irdesk.casefile.starting import start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import ActionStatus, Gap
from irdesk.domain.moment import Moment
from irdesk.domain.quarters import Quarter
from irdesk.domain.records import Engagement, Evidence
from tests.conftest import PASSPHRASE

BOOK_PASS = "book-lantern-orbit-58-quartz"
DRILL_PASS = "drill-compass-meadow-91-violet"


def quarter(start: date, *, detect: timedelta | None, engage: timedelta | None, gaps: dict[Gap, int],
            actions: tuple[int, int, int], cases: int = 1) -> Quarter:
    return Quarter(start=start, label=f"{start.year} Q{(start.month - 1) // 3 + 1}", cases=cases,
                   time_to_detect=detect, time_to_contain=None, time_to_engage=engage, time_to_obtain_logs=None,
                   gaps={g: gaps.get(g, 0) for g in Gap}, actions_proposed=actions[0],
                   actions_implemented=actions[1], actions_tested=actions[2])


INCIDENTS = [quarter(date(2026, 1, 1), detect=timedelta(hours=30), engage=timedelta(hours=4),
                     gaps={Gap.ACCESS: 2, Gap.VENDOR: 1}, actions=(3, 2, 1)),
             quarter(date(2026, 4, 1), detect=None, engage=None, gaps={}, actions=(0, 0, 0), cases=0),
             quarter(date(2026, 7, 1), detect=timedelta(hours=6), engage=timedelta(hours=2), gaps={Gap.ACCESS: 1},
                     actions=(1, 0, 0))]
DRILLS = [quarter(date(2026, 4, 1), detect=None, engage=timedelta(minutes=40), gaps={Gap.COMMUNICATION: 1},
                  actions=(2, 1, 0))]


def points(chart, kind: str = "QScatterSeries") -> list[tuple[float, float]]:
    [series] = [s for s in chart.series() if type(s).__name__ == kind]
    return [(p.x(), p.y()) for p in series.points()]


def bars(chart) -> dict[str, list[float]]:
    [series] = chart.series()
    return {s.label(): [s.at(n) for n in range(s.count())] for s in series.barSets()}


@pytest.mark.parametrize("dark", [False, True])
def test_the_charts_draw_incidents_or_drills_never_both(qtbot, dark):
    from PySide6.QtWidgets import QApplication

    from irdesk.ui.book.trend_charts import TrendCharts
    from irdesk.ui.palette import apply_palette

    app = QApplication.instance()
    apply_palette(app, dark=dark)
    try:
        charts = TrendCharts()
        qtbot.addWidget(charts)
        charts.set_quarters(INCIDENTS, DRILLS)
        detect = charts.chart("Time to detect (median)")
        assert points(detect) == [(0.0, 30.0), (2.0, 6.0)]  # hours; the empty quarter has no point
        assert detect.axes()[0].categories() == ["Q1<br>2026", "Q2<br>2026", "Q3<br>2026"]
        assert points(charts.chart("Time to engage a person (median)")) == [(0.0, 4.0), (2.0, 2.0)]
        assert charts.chart("Time to obtain logs (median)").title().endswith(": nothing measured")
        assert bars(charts.chart("Gaps by category")) == {"Access": [2.0, 0.0, 1.0], "Vendor": [1.0, 0.0, 0.0]}
        assert bars(charts.chart("Action items")) == {"Proposed": [3.0, 0.0, 1.0], "Implemented": [2.0, 0.0, 0.0],
                                                      "Tested": [1.0, 0.0, 0.0]}
        assert "2 incident(s) from 2026 Q1 to 2026 Q3" in charts.summary.text()
        # text in the palette's colour: readable on the dark background as on the light one
        text = charts.palette().color(charts.palette().ColorRole.WindowText)
        assert detect.titleBrush().color() == text and detect.axes()[0].labelsColor() == text
        background = detect.backgroundBrush().color()
        assert abs(background.lightness() - text.lightness()) > 120

        charts.show_drills.setChecked(True)
        assert charts.quarters == DRILLS
        engage = charts.chart("Time to engage a person (median)")
        assert points(engage) == [(0.0, 40.0)] and engage.axes()[1].titleText() == "min"
        assert points(charts.chart("Time to detect (median)")) == []  # a drill detects nothing
        assert bars(charts.chart("Gaps by category")) == {"Communication": [1.0]}
        assert bars(charts.chart("Action items"))["Proposed"] == [2.0]
        assert "1 drill(s) from 2026 Q2 to 2026 Q2" in charts.summary.text()

        apply_palette(app, dark=not dark)  # the theme switched while the window is open: drawn again
        flipped = charts.chart("Time to detect (median)")
        qtbot.waitUntil(lambda: flipped.titleBrush().color() != text, timeout=3000)
        assert flipped.titleBrush().color() == charts.palette().color(charts.palette().ColorRole.WindowText)

        charts.set_quarters([], [])
        assert "No drill filed yet" in charts.summary.text()
        assert bars(charts.chart("Gaps by category")) == {}
    finally:
        apply_palette(app, dark=False)


@pytest.fixture
def book_path(tmp_path):
    """A book with two contacts and a system, one filed incident and one filed drill."""
    path = str(tmp_path / "team.irbook")
    t0 = Moment.parse("2026-05-04T09:00Z")
    with BookFile.create(path, BOOK_PASS, title="SOC readiness", actor="Lead") as book:
        dana = add_book_contact(book, "Dana Ng", phone="+1 555 0100", last_verified=date(2025, 1, 1)).value
        add_book_contact(book, "Lee Park", email="lee@example.org", last_verified=date(2026, 3, 1))
        add_system(book, "Edge firewall", owner_id=dana.id, logs="traffic")
        with CaseFile.create(str(tmp_path / "case.ircase"), PASSPHRASE, title="Harbour", actor="Ana",
                             fill=lambda new: start_from_book(new, book)) as case:
            ops.edit_case(case, first_activity_at=t0 + timedelta(hours=-5), detected_at=t0)
            ops.add_engagement(case, dana.id, "firewall", needed_at=t0, reached_at=t0 + timedelta(hours=3))
            ops.add_action(case, "Read access to firewall logs", owner="Dana", status=ActionStatus.PROPOSED)
            file_case(book, case)
        plan = plan_from_book(book, named_contacts=[dana.id])
        when = Moment.parse("2026-08-10T09:00Z")
        with CaseFile.create(str(tmp_path / "past-drill.ircase"), PASSPHRASE, title="August drill", actor="Ana",
                             drill=True, clock=lambda: when,
                             fill=lambda new: start_drill(new, plan, book_id=book.book_id,
                                                          book_head=book.chain_head)) as drill:
            [e] = drill.records.all(Engagement)
            ops.edit_engagement(drill, e.id, reached_at=when + timedelta(minutes=25))
            ops.add_action(drill, "Put Dana's deputy in the directory", owner="SOC lead")
            file_case(book, drill)
    return path


def test_the_book_window_charts_and_counts_keep_drills_apart(qtbot, book_path):
    from irdesk.ui.book.session import BookSession
    from irdesk.ui.book.window import BookWindow

    window = BookWindow(BookSession(BookFile.open(book_path, BOOK_PASS)))
    qtbot.addWidget(window)
    assert window.tabs.tabText(window.tabs.indexOf(window.charts)) == "Trends"
    assert [q.label for q in window.charts.quarters] == ["2026 Q2"]
    assert points(window.charts.chart("Time to engage a person (median)")) == [(0.0, 3.0)]  # hours, no drill
    window.charts.show_drills.setChecked(True)
    assert [q.label for q in window.charts.quarters] == ["2026 Q3"]
    assert points(window.charts.chart("Time to engage a person (median)")) == [(0.0, 25.0)]  # minutes
    text = window.counts.text()
    assert "1 incident(s) and 1 drill(s) filed" in text
    assert "action items from incidents: 1 open" in text and "from drills: 1 open" in text
    cases = [window.action_items.data(window.action_items.index(n, 4)) for n in range(window.action_items.rowCount())]
    assert sorted(cases) == ["August drill (drill)", "Harbour"]
    window.close()


def test_new_drill_from_the_book_window(qtbot, book_path, tmp_path):
    from PySide6.QtCore import Qt

    from irdesk.ui.book.session import BookSession
    from irdesk.ui.book.window import BookWindow

    window = BookWindow(BookSession(BookFile.open(book_path, BOOK_PASS)))
    qtbot.addWidget(window)
    assert window.drill_action.text() == "New &drill…"
    window.drill_action.trigger()
    dialog = window.drill_dialog
    assert dialog is not None and dialog.isVisible()
    names = [dialog.contacts.item(n).text() for n in range(dialog.contacts.count())]
    # Dana was verified by the drill in August: Lee (March) is now the least recently verified
    assert names[0].startswith("Lee Park — verified 2026-03-01") and names[1].startswith("Dana Ng — verified 2026-08")
    assert len(dialog.ticked(dialog.contacts)) == 2 and len(dialog.ticked(dialog.systems)) == 1
    assert "reach Lee Park through e-mail lee@example.org" in dialog.tasks.text()

    dialog.set_ticked([], [])
    dialog.create_button.click()
    assert "Tick at least one person" in dialog.error.text() and dialog.case is None

    lee = dialog.contacts.item(0).data(Qt.ItemDataRole.UserRole)
    dialog.set_ticked([lee], [])
    assert dialog.tasks.text().count("•") == 1
    taken = tmp_path / "taken.ircase"
    taken.write_text("not a case, but taken")
    dialog.path.setText(str(taken))
    dialog.passphrase.first.setText(DRILL_PASS)
    dialog.passphrase.second.setText(DRILL_PASS)
    dialog.create_button.click()
    assert "already exists" in dialog.error.text() and taken.read_text() == "not a case, but taken"

    out = str(tmp_path / "lee.ircase")
    dialog.path.setText(out)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.create_button.click()  # the key is derived on a pool thread: the dialog waits, unchangeable
        assert dialog.creating and not dialog.create_button.isEnabled() and not dialog.contacts.isEnabled()
        dialog.reject()  # Escape while the file is made would leave it open and unseen: refused
        assert dialog.isVisible() and dialog.error.text() == "Creating the drill…"
    assert window.last_drill == out and "1 task(s)" in window.statusBar().currentMessage()
    with CaseFile.open(out, DRILL_PASS, writable=False) as drill:
        c = drill.case()
        assert c.drill and c.title.startswith("Drill ") and c.tlp.value == "amber"
        [engagement] = drill.records.all(Engagement)
        assert "Lee Park" in engagement.purpose and drill.records.all(Evidence) == []
    assert os.stat(out).st_mode & 0o077 == 0
    window.close()


def test_a_drill_made_in_the_book_window_opens_in_the_main_window(desk, qtbot, book_path, tmp_path, monkeypatch):
    case_path = str(tmp_path / "case.ircase")  # the incident of the fixture, open in the main window
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    desk.start(case_path, book_path)
    assert desk.session is not None and desk.books.window is not None
    asked: list[str] = []
    desk.books.ask = lambda _parent, _title, question: asked.append(question) or True
    dialog = desk.books.window.new_drill()
    out = str(tmp_path / "now.ircase")
    dialog.path.setText(out)
    dialog.passphrase.first.setText(DRILL_PASS)
    dialog.passphrase.second.setText(DRILL_PASS)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.create_button.click()
    assert asked and asked[0].startswith("Drill written to") and "Open it now?" in asked[0]
    qtbot.waitUntil(lambda: desk.session is not None and desk.session.path == out, timeout=10000)
    shown_case = desk.session.reader.case()
    assert shown_case.drill and shown_case.title.startswith("Drill ")
    assert desk.books.window is not None  # the book stays open beside the drill
