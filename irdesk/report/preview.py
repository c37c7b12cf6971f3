"""Report pages as images, in memory (PDFium), for the export dialog's preview and for printing.

Nothing is written to disk: a preview file would be plaintext of the case outside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PageImage:
    """One page as 32-bit BGRA pixels (Qt's ARGB32 on little-endian machines)."""

    width: int
    height: int
    stride: int
    pixels: bytes


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pages(pdf: bytes, dpi: float = 72.0, pages: range | None = None) -> Iterator[PageImage]:
    """Render ``pages`` (default: all) at ``dpi``, one at a time."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf)
    try:
        for index in pages if pages is not None else range(len(doc)):
            page = doc[index]
            bitmap = page.render(
                scale=dpi / 72.0, force_bitmap_format=pdfium_c.FPDFBitmap_BGRA, may_draw_forms=False
            )
            try:
                yield PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
            finally:
                bitmap.close()
                page.close()
    finally:
        doc.close()
