"""The report's XMP metadata packet: title, subject, author, TLP and the report's identity.

Archives and document systems read XMP, not the PDF's page text. The TLP marking is in
``dc:rights`` (a sharing restriction is what that property is for) and in irdesk's own
namespace beside the report id, the case fingerprint and the audit-chain head. pyHanko
keeps every property when it signs, adding only its producer and the modification date.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream, format

from irdesk.domain.enums import Tlp
from irdesk.domain.moment import Moment
from irdesk.report.content import ReportContent
from irdesk.report.glyphs import printable

NAMESPACE = "urn:irdesk:ns:report:1/"
TLP_MEANING = {
    "clear": "disclosure is not limited",
    "green": "limited disclosure, restricted to the community",
    "amber": "limited disclosure, restricted to participants' organisations",
    "amber+strict": "limited disclosure, restricted to participants' organisation only",
    "red": "for the eyes and ears of individual recipients only, no further disclosure",
}


def _text(value: str) -> str:
    return xml_escape(printable(value).replace("\n", " "), {'"': "&quot;"})


def title(c: ReportContent) -> str:
    return f"After-action report: {c.case.title}"[:300]


def subject(c: ReportContent) -> str:
    return f"irdesk report {c.report_id}; case fingerprint {c.fingerprint}; chain head {c.chain_head}"


def status(c: ReportContent) -> str:
    return " ".join(w.lower() for w in (("DRAFT",) if c.draft else ()) + (("INTERIM",) if c.interim else ())) or "final"


def packet(c: ReportContent) -> bytes:
    return packet_of(title=title(c), subject=subject(c), creator=c.responder, tlp=c.case.tlp, made=c.made_at,
                     report_id=c.report_id, fingerprint=("CaseFingerprint", c.fingerprint),
                     chain_head=c.chain_head, status=status(c))


def packet_of(*, title: str, subject: str, creator: str, tlp: Tlp, made: Moment, report_id: str,
              fingerprint: tuple[str, str], chain_head: str, status: str) -> bytes:
    """The XMP packet of any irdesk report; ``fingerprint`` is its element's name and value
    (``CaseFingerprint`` for a case's report, ``BookFingerprint`` for a programme report)."""
    made_at = made.local.isoformat(timespec="seconds")
    tag, value = fingerprint
    rights = f"{_text(tlp.label)}: {TLP_MEANING[tlp.value]}"
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:irdesk="{NAMESPACE}">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_text(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_text(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>{_text(creator[:200])}</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>
   <dc:subject><rdf:Bag><rdf:li>{_text(tlp.label)}</rdf:li><rdf:li>{_text(report_id)}</rdf:li></rdf:Bag></dc:subject>
   <dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{_text(report_id)}, {_text(tlp.label)}</pdf:Keywords>
   <pdf:Producer>irdesk (reportlab)</pdf:Producer>
   <xmp:CreatorTool>irdesk</xmp:CreatorTool>
   <xmp:CreateDate>{made_at}</xmp:CreateDate>
   <xmp:ModifyDate>{made_at}</xmp:ModifyDate>
   <xmp:MetadataDate>{made_at}</xmp:MetadataDate>
   <irdesk:TLP>{_text(tlp.label)}</irdesk:TLP>
   <irdesk:ReportID>{_text(report_id)}</irdesk:ReportID>
   <irdesk:{tag}>{_text(value)}</irdesk:{tag}>
   <irdesk:ChainHead>{_text(chain_head)}</irdesk:ChainHead>
   <irdesk:Status>{status}</irdesk:Status>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return body.encode("utf-8")


class MetadataStream(PDFStream):
    """The XMP packet as the catalog's /Metadata stream, unfiltered so any tool can read it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), data)

    def format(self, document):  # reportlab calls it with its PDFDocument
        dictionary = PDFDictionary(self.dictionary.dict.copy())
        content = document.encrypt.encode(self.content)
        dictionary["Length"] = len(content)
        return format(dictionary, document) + b"\nstream\n" + content + b"\nendstream\n"
