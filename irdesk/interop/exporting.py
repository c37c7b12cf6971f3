"""One entry point for every export format: the GUI and the CLI both call ``export_case``."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from irdesk.casefile.outputs import Notice, plaintext_output
from irdesk.casefile.store import CaseFile

# Format name -> (label for menus, usual file suffix).
FORMATS = {
    "json": ("JSON (complete, re-importable)", ".json"),
    "markdown": ("Markdown document", ".md"),
    "csv-timeline": ("CSV timeline (Timesketch)", ".csv"),
    "stix": ("STIX 2.1 bundle", ".stix.json"),
    "vcard": ("vCard 4.0 contacts", ".vcf"),
    "misp": ("MISP event (JSON)", ".misp.json"),
    "thehive": ("TheHive 5 case (JSON)", ".thehive.json"),
    "jsonl-timeline": ("JSON-lines timeline (Timesketch)", ".jsonl"),
    "veris": ("VERIS 1.4 incident record", ".veris.json"),
}


def _writer(fmt: str) -> Callable[[CaseFile, IO[str]], int]:
    if fmt == "markdown":
        from irdesk.interop.markdown import write_markdown

        return write_markdown
    if fmt == "csv-timeline":
        from irdesk.interop.timeline import write_timeline

        return write_timeline
    if fmt == "stix":
        from irdesk.interop.stix import write_stix

        return write_stix
    if fmt == "misp":
        from irdesk.interop.misp import write_misp

        return write_misp
    if fmt == "jsonl-timeline":
        from irdesk.interop.timeline import write_jsonl_timeline

        return write_jsonl_timeline
    if fmt == "veris":
        from irdesk.interop.veris import write_veris

        return write_veris
    if fmt == "thehive":
        from irdesk.interop.thehive import write_thehive

        return write_thehive
    if fmt == "vcard":
        from irdesk.domain.records import Contact
        from irdesk.interop.vcard import write_vcards

        return lambda case, out: write_vcards(case.records.all(Contact), out)
    raise ValueError(f"unknown export format {fmt!r}")


def export_case(case: CaseFile, fmt: str, target: str, *, replace: bool = False,
                notice: Notice | None = None) -> int:
    """Write the case in ``fmt`` to ``target``; only reads the case.

    Every format is plaintext: the file has no name until it is complete, never lands on a
    case file, and replaces another existing file only with ``replace`` (``outputs.py``).
    Returns what the format counts (records, lines, events, indicators or contacts).

    Raises:
        TamperedCase: a record or kept revision differs from the audit chain; nothing is written.
    """
    output = plaintext_output(target, protect=(case.path,), replace=replace, notice=notice)
    if fmt == "json":  # written as bytes: each record is its canonical JSON, chain-verified
        from irdesk.interop.jsonfmt import write_json

        with case.snapshot(), output as raw:
            return write_json(case, raw)
    write = _writer(fmt)
    # CSV rows end in CRLF themselves; every other format uses LF.
    newline = "" if fmt in ("csv-timeline", "vcard") else "\n"
    # The whole case is vouched for first, whatever the format shows of it: no output at all
    # from a case the chain no longer vouches for.
    # The timelines write every note: the verifying pass keeps the note rows it checked, so they
    # are read from the file once.
    with case.verified(keep_notes=fmt in ("csv-timeline", "jsonl-timeline")), output as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
        count = write(case, text)
        text.flush()
        text.detach()
    return count
