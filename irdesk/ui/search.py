"""Full-text search across all notes, with the matches highlighted and phase/gap filters.

Driven from the keyboard: type, Down goes to the results, Up/Down choose, Enter opens the
chosen note (Enter in the field opens the selected hit, else the best one). Each hit shows
its date, phase and gap on a muted line and the matching passage without Markdown marks;
both stay readable on the selection colour, light or dark.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QHideEvent, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from irdesk.domain.enums import Gap, Phase
from irdesk.ui.moments import shown
from irdesk.ui.notes.model import plain_preview
from irdesk.ui.session import CaseSession

LIMIT = 200
META_ROLE = Qt.ItemDataRole.UserRole + 1  # "2026-11-28 09:10 · Detection & Analysis · ⚑ Access"
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2  # the passage, matches between \x02 and \x03
Index = QModelIndex | QPersistentModelIndex


def highlighted(snippet: str, *, selected: bool = False) -> str:
    """The FTS snippet as HTML: text escaped, matches (\\x02 … \\x03) in bold (on yellow unless
    the row is selected, where the selection colour already stands out)."""
    text = html.escape(snippet.replace("\n", " "))
    start = "<b><u>" if selected else "<b style='background:#ffe066;color:black'>"
    end = "</u></b>" if selected else "</b>"
    return text.replace("\x02", start).replace("\x03", end)


def clean_snippet(snippet: str) -> str:
    """The passage without Markdown marks; the match markers stay."""
    return plain_preview(snippet)


class SearchHitDelegate(QStyledItemDelegate):
    """Paints a hit: the muted line, then the passage with its matches, in the row's colours."""

    LINES = 3  # the passage takes at most this many lines

    @staticmethod
    def meta_colour(palette: QPalette, *, selected: bool) -> QColor:
        if selected:
            return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        return QColor((text.red() * 2 + base.red()) // 3, (text.green() * 2 + base.green()) // 3,
                      (text.blue() * 2 + base.blue()) // 3)

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int, selected: bool) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(max(80, width))
        doc.setHtml(highlighted(str(index.data(SNIPPET_ROLE) or ""), selected=selected))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(6, 4, -6, -4)
        painter.save()
        painter.setPen(self.meta_colour(opt.palette, selected=selected))
        line = opt.fontMetrics.height()
        painter.drawText(rect.x(), rect.y(), rect.width(), line,
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         opt.fontMetrics.elidedText(str(index.data(META_ROLE) or ""),
                                                    Qt.TextElideMode.ElideRight, rect.width()))
        doc = self._document(opt, index, rect.width(), selected)
        painter.translate(rect.x(), rect.y() + line + 2)
        clip = min(doc.size().height(), line * self.LINES)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorGroup.Active, role))
        painter.setClipRect(0, 0, rect.width(), int(clip))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        width = option.rect.width() if option.rect.width() > 0 else 600
        line = option.fontMetrics.height()
        doc = self._document(option, index, width - 12, False)
        text = min(doc.size().height(), line * self.LINES)
        return QSize(width, int(line + 2 + text + 8))


class SearchDialog(QDialog):
    open_note = Signal(object)  # the Note chosen

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search notes")
        self.resize(720, 480)
        self.session = session
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words to find (end a word with * for a prefix); #tag or tag:name for a tag")
        self.query.setAccessibleName("Search text")
        self.query.setClearButtonEnabled(True)
        self.phase = QComboBox()
        self.phase.addItem("All phases", None)
        for phase in Phase:
            self.phase.addItem(phase.label, phase.value)
        self.phase.setAccessibleName("Phase filter")
        self.gap = QComboBox()
        self.gap.addItem("Any gap or none", None)
        for gap in Gap:
            self.gap.addItem(gap.label, gap.value)
        self.gap.setAccessibleName("Gap filter")
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setItemDelegate(SearchHitDelegate(self.results))
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._activated)
        self.summary = QLabel("Type to search every note in the case.")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.run)
        self.query.textChanged.connect(self._timer.start)
        self.phase.currentIndexChanged.connect(self.run)
        self.gap.currentIndexChanged.connect(self.run)
        self.query.returnPressed.connect(self._open_chosen)
        self.query.installEventFilter(self)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.phase)
        row.addWidget(self.gap)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        session.closing.connect(self.reject)
        self.query.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._timer.stop()  # closed (or the case locked): search nothing more
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and event.modifiers() in (
                    Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                self._to_results()
                return True
        return False

    def _to_results(self) -> None:
        if self._timer.isActive():
            self.run()
        if self.results.count():
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)
            self.results.setFocus()

    def run(self) -> None:
        self._timer.stop()
        self.results.clear()
        text = self.query.text().strip()
        if not text:
            self.summary.setText("Type to search every note in the case.")
            return
        phase = Phase(self.phase.currentData()) if self.phase.currentData() else None
        gap = Gap(self.gap.currentData()) if self.gap.currentData() else None
        hits = self.session.reader.notes.search(text, phase=phase, gap=gap, limit=LIMIT)
        for hit in hits:
            note = hit.note
            mark = f" · ⚑ {note.gap.label}" if note.gap else ""
            tags = " · " + " ".join(f"#{t}" for t in note.tags) if note.tags else ""
            meta = f"{shown(note.occurred)} · {note.phase.label}{mark}{tags}"
            snippet = clean_snippet(hit.snippet)
            item = QListWidgetItem(f"{meta}\n{snippet.replace(chr(2), '').replace(chr(3), '')}")
            item.setData(Qt.ItemDataRole.UserRole, note)
            item.setData(META_ROLE, meta)
            item.setData(SNIPPET_ROLE, snippet)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        more = " (showing the best matches)" if len(hits) == LIMIT else ""
        found = "1 matching note" if len(hits) == 1 else f"{len(hits)} matching notes"
        self.summary.setText(
            f"{found}{more}. Down goes to them; Enter opens the one selected." if hits else "No note matches."
        )

    def _open_chosen(self) -> None:
        """Enter in the field: the selected hit (the best one unless the user chose another)."""
        if self._timer.isActive():
            self.run()
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._activated(item)

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_note.emit(item.data(Qt.ItemDataRole.UserRole))
