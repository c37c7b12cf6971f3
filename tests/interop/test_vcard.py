"""vCard: real address-book exports import faithfully; our 4.0 export parses and round-trips."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.domain.enums import ContactKind
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Contact
from irdesk.interop.vcard import import_vcards, read_vcards, write_vcards
from irdesk.interop.vcard_input import join_soft_line_breaks, tel_value, types_of

DATA = os.path.join(os.path.dirname(__file__), "data")


def fixture(name: str) -> bytes:
    with open(os.path.join(DATA, name), "rb") as handle:
        return handle.read()


def by_name(cards):
    return {c.fields["name"]: c.fields for c in cards}


def test_apple_contacts():
    cards = by_name(read_vcards(fixture("apple-contacts.vcf")))
    marta = cards["Marta Kowalczyk"]
    assert marta["organisation"] == "Example Logistics" and marta["team"] == "Infrastructure"
    assert marta["role"] == "Infrastructure on-call"
    assert marta["phone"] == "+31 6 5550 0142 (mobile); +31 10 555 0142 (work)"
    assert marta["email"] == "m.kowalczyk@example.net; marta.k@mail.example"
    assert marta["kind"] is ContactKind.INTERNAL
    zoe = cards["Zoë Ångström"]
    assert zoe["organisation"] == "Société Générale de Sécurité, SA"
    assert zoe["kind"] is ContactKind.OTHER and zoe["phone"] == "+33 1 55 55 01 01 (main)"
    assert zoe["role"] == "CISO; acting DPO, France"  # escaped semicolon and comma


def test_google_contacts():
    cards = by_name(read_vcards(fixture("google-contacts.vcf")))
    assert cards["Priya Raman"]["kind"] is ContactKind.VENDOR
    assert cards["Priya Raman"]["email"] == "priya.raman@northsea-msp.example; priya@home.example"
    assert cards["Cybercrime desk"]["kind"] is ContactKind.LAW_ENFORCEMENT


def test_outlook_2_1_quoted_printable_and_windows_code_page():
    [card] = read_vcards(fixture("outlook-2.1.vcf"))
    f = card.fields
    assert f["name"] == "Jürgen Müller"
    assert f["organisation"] == "Beispiel GmbH" and f["team"] == "IT-Sicherheit / Incident Response"
    assert f["phone"] == ("+49 30 1234 5600 (work); +49 170 1234567 (mobile); "
                          "+49 30 1234 5699 (work,fax)")
    assert f["email"] == "juergen.mueller@beispiel.example; cert@beispiel.example"


def test_android_2_1_utf8_quoted_printable_with_photo():
    cards = read_vcards(fixture("android-2.1.vcf"))
    ivan, daniel = (c.fields for c in cards)
    assert ivan["name"] == "Иван Иванов" and ivan["organisation"] == "Регулятор"
    assert ivan["phone"] == "+7 916 555-01-23 (mobile); +7 495 555-01-23 (home)"
    assert daniel["phone"] == "+31 10 555 0190 (work); +31 6 1234 5678 (mobile)"  # PREF first


def test_vcard_4_0():
    [card] = read_vcards(fixture("vcard-4.0.vcf"))
    f = card.fields
    assert card.uid == "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert f["phone"] == "+1-418-656-9254 ext. 102 (work); +1-418-262-6501 (work,mobile,video,text)"
    assert f["out_of_band"] == "xmpp:simon@viagenie.example"
    assert f["kind"] is ContactKind.VENDOR and f["team"] == "Research"


def test_adapters_on_their_own():
    qp = "NOTE;ENCODING=QUOTED-PRINTABLE:one=\r\ntwo=\r\n three\r\nTEL:1=\r\nEND:VCARD\r\n"
    assert join_soft_line_breaks(qp) == "NOTE;ENCODING=QUOTED-PRINTABLE:onetwothree\r\nTEL:1=\r\n" \
        "END:VCARD\r\n"
    assert tel_value("tel:+1-555-0100;ext=7") == "+1-555-0100 ext. 7"
    assert tel_value("+1 555; 0100") == "+1 555, 0100"
    prop = vobject.readOne('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nTEL;TYPE="work,CELL";PREF=1:1\r\n'
                           'END:VCARD\r\n').tel
    assert types_of(prop) == ["work", "cell"]


def test_import_into_a_case_and_again_by_uid(case):
    cards = read_vcards(fixture("vcard-4.0.vcf") + fixture("apple-contacts.vcf"))
    first = import_vcards(case, cards, source="vcard test").value
    assert first.added == 3
    again = import_vcards(case, cards, source="vcard test").value
    assert again.added == 0 and again.unchanged == 3  # by UID, else by name and e-mail
    assert case.records.get(Contact, "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1").name == "Simon Perreault"
    assert check_case(case).ok
    assert [e.action for e in case.chain.entries()][-1] == "import"


@pytest.mark.parametrize("data, message", [
    (b"", "no vCard"),
    (b"hello", "no vCard"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:a\r\n", "cut off"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nBEGIN:VCARD\r\nEND:VCARD\r\n", "no END:VCARD"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nthis is not a property\r\nEND:VCARD\r\n", "Card 1 cannot"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:x\r\nEND:VCARD\r\n", "no name"),
])
def test_bad_files_are_refused_with_a_reason(data, message, case):
    head = case.chain_head
    with pytest.raises(BadInput, match=message):
        import_vcards(case, read_vcards(data), source="x")
    assert case.chain_head == head


def test_our_export_is_vcard_4_and_parses_with_vobject(case):
    contact = ops.add_contact(case, name="Ana Lima, PhD; \\admin", organisation="Exemplo, Lda",
                       team="TI / Segurança", role="M365 admin", kind=ContactKind.LEGAL,
                       phone="+351 91 555 0101 (mobile); +351 21 555 0101 (work)",
                       email="ana@exemplo.example; ana.lima@home.example",
                       out_of_band="Signal: +351 91 555 0101", grants_access="Tenant admin",
                       last_verified=date(2026, 9, 1)).value
    out = io.StringIO()
    assert write_vcards(case.records.all(Contact), out) == 1
    text = out.getvalue()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    parsed = list(vobject.readComponents(text))
    assert parsed[0].fn.value == "Ana Lima, PhD; \\admin"
    assert [t.value for t in parsed[0].contents["tel"]] == ["+351 91 555 0101", "+351 21 555 0101"]
    [card] = read_vcards(text.encode("utf-8"))
    assert card.uid == contact.id
    for name, value in card.fields.items():
        assert getattr(contact, name) == value, name


_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30).map(
    lambda s: " ".join(s.split()))
_phone = st.from_regex(r"\+[1-9][0-9]{1,3}( [0-9]{2,4}){1,3}", fullmatch=True)
_label = st.sampled_from(["", " (mobile)", " (work)", " (home,fax)", " (assistant)"])


@given(name=_text.filter(bool), org=_text, team=_text, role=_text,
       kind=st.sampled_from(list(ContactKind)),
       phones=st.lists(st.tuples(_phone, _label).map("".join), max_size=3, unique=True),
       emails=st.lists(st.emails(), max_size=3, unique=True), oob=_text, grants=_text)
def test_export_then_import_keeps_every_field(name, org, team, role, kind, phones, emails, oob,
                                              grants):
    from irdesk.domain.moment import Moment

    team = " / ".join(u for u in team.split(" / ") if u.strip())
    now = Moment.now()
    contact = Contact(id="0f6e9b8e-3a51-4a47-9a5e-0d1c1f2b3a4d", rev="r", parent_rev=None,
                      created=now, updated=now, author="a", name=name, organisation=org,
                      team=team, role=role, kind=kind,
                      phone="; ".join(phones), email="; ".join(emails), out_of_band=oob,
                      grants_access=grants)
    out = io.StringIO()
    write_vcards([contact], out)
    [card] = read_vcards(out.getvalue().encode("utf-8"))
    expected = {f: getattr(contact, f) for f in card.fields}
    assert card.fields == expected


@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_importer(data):
    try:
        read_vcards(data)
    except BadInput:
        pass


_line = st.sampled_from(["FN:A", "N:;;;;", "TEL;CELL:1", "TEL;VALUE=uri:tel:", "EMAIL:a@b",
                         "ORG:;;", "NOTE;ENCODING=QUOTED-PRINTABLE:=C3=", "X-Y;Z=\"a,b\":c",
                         "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E2=82=", " folded",
                         "CATEGORIES:,", "UID:urn:uuid:", "BDAY:--0203", "N:a;b;c;d;e;f;g",
                         "ADR:;;;;;;;", "VERSION:4.0", "VERSION:2.1", "TEL;TYPE=\"x:1"])


@given(st.lists(_line, max_size=8), _text)
def test_structured_garbage_never_crashes_the_importer(lines, extra):
    text = "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, f"NOTE:{extra}", "END:VCARD"])
    try:
        cards = read_vcards(text.encode("utf-8"))
    except BadInput:
        return
    assert all(c.fields["name"] for c in cards)


def test_vobject_alone_trips_on_the_outlook_soft_line_breaks():
    """Why the adapter exists: without it, vobject 0.9.9 refuses Outlook's card."""
    text = fixture("outlook-2.1.vcf").decode("cp1252")
    with pytest.raises(vobject.base.ParseError):
        vobject.readOne(text)
    assert read_vcards(fixture("outlook-2.1.vcf"))  # with the adapters it reads


def test_apple_iphone_custom_labels_and_signal():
    [card] = read_vcards(fixture("apple-iphone.vcf"))
    f = card.fields
    assert f["name"] == "Dr. Priya Raman"
    assert f["phone"] == "+31 6 1111 2222 (mobile); +31 20 555 0000 (assistant)"
    assert f["out_of_band"] == "signal:+31611112222"


def test_a_damaged_photo_does_not_make_the_card_unreadable():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n"
            " SkZJRg=\r\nEMAIL:ana@example.pt\r\nEND:VCARD\r\n")
    [card] = read_vcards(text.encode("utf-8"))
    assert card.fields["email"] == "ana@example.pt"


# ---------------------------------------------------------------- NOTE, in every encoding

NOTE_TEXT = ("Can grant span port access, router ACL changes.\n"
             "Escalate via duty phone after 18:00; Zürich desk \\ backup.")
CARDS = {
    # Outlook and old Android: quoted-printable, UTF-8, a soft line break, a QP line break.
    "2.1 quoted-printable": (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Kowalczyk;Marta\r\nFN:Marta Kowalczyk\r\n"
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Can grant span port access, router ACL changes.=0D=0A=\r\n"
        "Escalate via duty phone after 18:00; Z=C3=BCrich desk \\ backup.\r\nEND:VCARD\r\n"),
    # Apple, Nextcloud: escaped, and folded in the middle of a word.
    "3.0 escaped and folded": (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalczyk;Marta;;;\r\nFN:Marta Kowalczyk\r\n"
        "NOTE:Can grant span port access\\, router ACL changes.\\nEscalate via duty ph\r\n"
        " one after 18:00\\; Zürich desk \\\\ backup.\r\nEND:VCARD\r\n"),
    "4.0": (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Marta Kowalczyk\r\nN:Kowalczyk;Marta;;;\r\n"
        "NOTE;LANGUAGE=en:Can grant span port access\\, router ACL changes.\\NEscalate via duty phone "
        "after 18:00\\; Zürich desk \\\\ backup.\r\nEND:VCARD\r\n"),
}


@pytest.mark.parametrize("encoding", list(CARDS))
def test_a_note_comes_back_exactly_from_every_vcard_version(case, encoding):
    [card] = read_vcards(CARDS[encoding].encode("utf-8"))
    assert card.fields["notes"] == NOTE_TEXT
    import_vcards(case, [card], source="vcard marta.vcf")
    (marta,) = case.records.all(Contact)
    assert marta.notes == NOTE_TEXT
    out = io.StringIO()
    write_vcards([marta], out)
    assert "NOTE:Can grant span port access\\, router ACL changes.\\nEscalate" in out.getvalue()
    [again] = read_vcards(out.getvalue().encode("utf-8"))
    assert again.fields["notes"] == NOTE_TEXT
    assert import_vcards(case, [again], source="vcard again.vcf").value.unchanged == 1
    assert check_case(case).ok


def test_the_address_book_fixtures_keep_their_notes():
    apple = by_name(read_vcards(fixture("apple-contacts.vcf")))
    assert apple["Marta Kowalczyk"]["notes"] == "Knows vCenter, storage; call after 22:00 only in emergencies"
    outlook = [c.fields["notes"] for c in read_vcards(fixture("outlook-2.1.vcf")) if c.fields["notes"]]
    assert outlook and outlook[0].startswith("Erreichbar 24/7 über die CERT-Hotline; bei Ausfall die Mobil")
    google = [c.fields["notes"] for c in read_vcards(fixture("google-contacts.vcf"))]
    assert "Case numbers look like PR-2026-1187" in google


def test_two_notes_are_kept_apart_by_a_blank_line_and_a_card_without_one_has_none():
    text = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nNOTE:first\r\nitem1.NOTE:second\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:B\r\nEND:VCARD\r\n")
    a, b = read_vcards(text.encode("utf-8"))
    assert (a.fields["notes"], b.fields["notes"]) == ("first\n\nsecond", "")


_note = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\n\t"),
                max_size=300)


@given(_note)
def test_any_note_survives_our_export_and_import(notes):
    from irdesk.domain.moment import Moment

    now = Moment.now()
    contact = Contact(id="0f6e9b8e-3a51-4a47-9a5e-0d1c1f2b3a4d", rev="r", parent_rev=None, created=now,
                      updated=now, author="a", name="Marta", notes=notes)
    out = io.StringIO()
    write_vcards([contact], out)
    [card] = read_vcards(out.getvalue().encode("utf-8"))
    assert card.fields["notes"] == notes
