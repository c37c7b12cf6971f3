"""Every record type any irdesk file holds, by kind: what decoding a record from JSON looks up.

Which kinds a given file may hold is the file kind's business (``irdesk.casefile.kinds``).
"""

from __future__ import annotations

from irdesk.domain.book import BOOK_RECORD_TYPES
from irdesk.domain.records import RECORD_TYPES, Record

ALL_TYPES: tuple[type[Record], ...] = tuple(dict.fromkeys(RECORD_TYPES + BOOK_RECORD_TYPES))
ALL_BY_KIND: dict[str, type[Record]] = {cls.KIND: cls for cls in ALL_TYPES}
