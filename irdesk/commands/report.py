"""Report commands: report, verify, and the signing identity (identity new, import, show, trust)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from irdesk.commands.arguments import add_book_passphrase_option, add_passphrase_option, case_command, unicode_text
from irdesk.commands.opening import author, open_book, open_case
from irdesk.commands.outputs import add_force_option, check_output, notice
from irdesk.commands.secrets import secret
from irdesk.domain.errors import BadInput, ExitCode, KnownError

if TYPE_CHECKING:
    from irdesk.casefile.store import CaseFile
    from irdesk.identity.store import IdentityInfo
    from irdesk.report.history import History


def register(sub: argparse._SubParsersAction) -> None:
    p = case_command(sub, "report", "write the after-action report as PDF (signed with --sign)", cmd_report)
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    add_force_option(p)
    p.add_argument("--sign", action="store_true", help="sign it with your identity (PAdES B-B)")
    p.add_argument("--book", metavar="BOOK",
                   help="the readiness book the case was started from or filed into: page 2 sets the team's "
                        "earlier incidents and drills beside this one")
    add_book_passphrase_option(p)
    add_identity_passphrase_option(p)

    p = sub.add_parser(
        "verify",
        help="check a signed report: 0 genuine, 4 altered, 6 signer not trusted",
        description=VERIFY_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("pdf", metavar="REPORT.pdf")
    p.add_argument(
        "--case",
        metavar="CASE",
        help="also check it was made from this case by a signer it recorded",
    )
    p.add_argument(
        "--book",
        metavar="BOOK",
        help="a programme report: also check it was made from this readiness book by a signer it recorded",
    )
    p.add_argument(
        "--cert", metavar="SHA256", help="accept only this signer certificate fingerprint"
    )
    add_passphrase_option(p)
    add_book_passphrase_option(p)
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("identity", help="your signing identity (key and certificate)")
    isub = p.add_subparsers(dest="identity_command", metavar="ACTION", parser_class=type(p))
    q = isub.add_parser("new", help="create a key and a self-signed certificate")
    q.add_argument("--name", required=True)
    q.add_argument("--replace", action="store_true", help="replace an existing identity")
    add_identity_passphrase_option(q)
    q.set_defaults(handler=cmd_identity_new)
    q = isub.add_parser("import", help="import an organisation's PKCS#12 (.p12) file")
    q.add_argument("file", metavar="FILE.p12")
    q.add_argument(
        "--p12-passphrase-file",
        metavar="PATH",
        help="the PKCS#12 file's passphrase (else IRDESK_P12_PASSPHRASE, else a prompt)",
    )
    q.add_argument("--replace", action="store_true", help="replace an existing identity")
    add_identity_passphrase_option(q)
    q.set_defaults(handler=cmd_identity_import)
    q = isub.add_parser("show", help="your certificate and every signer you trust, with fingerprints")
    q.set_defaults(handler=cmd_identity_show)
    q = isub.add_parser("trust", help="trust a colleague's signing certificate for verify")
    q.add_argument("cert", metavar="CERT.pem", help="their certificate (PEM or DER)")
    q.set_defaults(handler=cmd_identity_trust)
    q = isub.add_parser("untrust", help="stop trusting a certificate")
    q.add_argument("fingerprint", metavar="SHA256", help="its SHA-256 fingerprint, as identity show prints it")
    q.set_defaults(handler=cmd_identity_untrust)


VERIFY_DESCRIPTION = """\
Check a signed after-action report (or a book's programme report): the signature is intact and
valid, it covers the whole file, and the file is byte for byte what was signed. The signer must
also be one you trust: pinned with --cert, recorded by the case given with --case (the book
given with --book), or in your trust list (your own identity, earlier ones, and colleagues'
certificates added with `irdesk identity trust`).

exit codes:
  0  genuine, from a trusted signer
  4  altered, not a signed irdesk report, or not the signer --cert, --case or --book expects
  6  intact, but signed by someone you have not said you trust (the signer and the
     certificate's SHA-256 are named: check them with the signer)
  1  other errors (2 usage, 3 wrong case passphrase)
"""


def add_identity_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--identity-passphrase-file",
        metavar="PATH",
        help="the identity key's passphrase (else IRDESK_IDENTITY_PASSPHRASE, else a prompt)",
    )


def identity_passphrase(args: argparse.Namespace, *, new: bool = False) -> str:
    value = secret(
        file=args.identity_passphrase_file,
        env=("IRDESK_IDENTITY_PASSPHRASE",),
        prompt="New identity passphrase: " if new else "Identity passphrase: ",
        confirm=new,
    )
    if new:
        from irdesk.domain.passphrase import assess

        strength = assess(value, (getattr(args, "name", "") or "",))
        if not strength.acceptable:
            raise BadInput(strength.reason)
    return value


def cmd_report(args: argparse.Namespace) -> int:
    check_output(args, args.output, plaintext=True)
    identity = None
    if args.sign:
        from irdesk.identity.keys import load_identity

        identity = load_identity(identity_passphrase(args))  # before the case: fail early
    from irdesk.report.service import build_report, issue_report

    if args.book:
        from irdesk.casefile.connection import read_salt

        read_salt(args.case)
        read_salt(args.book)  # both checked before either is held open
    with open_case(args, writable=True) as case:
        history = _history(args, case) if args.book else None
        built = build_report(case, responder=author(args), identity=identity, history=history)
        issue_report(case, built, args.output, replace=args.force, notice=notice)
    state = f"signed by {identity.info.name}" if identity else "unsigned"
    print(f"Report {built.report_id} written to {args.output} ({state}).")
    print(f"Case fingerprint {built.content.fingerprint}")
    return ExitCode.OK


def _history(args: argparse.Namespace, case: CaseFile) -> History:
    """The book's earlier cases, when ``case`` was started from the book or filed into it."""
    from irdesk.casefile.starting import started_from
    from irdesk.domain.book import RegisterEntry
    from irdesk.report.history import read_history

    with open_book(args, args.book, writable=False) as book:
        entry = book.records.find(RegisterEntry, case.case_id)
        if (entry is None or entry.deleted) and not started_from(case, book.book_id):
            raise BadInput(f"The case was neither started from {args.book} nor filed into it, so its report "
                           "cannot look back on that book's cases.")
        record = case.case()  # the case's own day, as case_day counts a filed one
        moment = record.detected_at or record.first_activity_at or case.clock()
        return read_history(book, case.case_id, moment.local.date())


def cmd_verify(args: argparse.Namespace) -> int:
    from irdesk.report.errors import NotGenuine
    from irdesk.report.service import normalise_fingerprint, verify_report

    if args.cert is not None and len(normalise_fingerprint(args.cert)) != 64:
        raise BadInput("--cert must be a SHA-256 certificate fingerprint (64 hex digits).")
    try:
        with open(args.pdf, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise KnownError(f"{args.pdf} does not exist.") from None
    if args.case and args.book:
        raise BadInput("Give --case for a case's report or --book for a programme report, not both.")
    try:
        if args.case:
            with open_case(args, writable=False) as case:
                verified = verify_report(data, case=case, pinned=args.cert)
        elif args.book:
            with open_book(args, args.book, writable=False) as book:
                verified = verify_report(data, book=book, pinned=args.cert)
        else:
            verified = verify_report(data, pinned=args.cert)
    except NotGenuine as exc:
        raise KnownError(f"Not genuine: {exc.message}", ExitCode.NOT_A_CASE) from None
    when = verified.signed_at.isoformat() if verified.signed_at else "unknown"
    print("Genuine: the signature is intact, valid and covers the entire file.")
    print(f"Signer       {verified.signer}")
    print(f"Certificate  SHA-256 {verified.cert_fingerprint}")
    print(f"Signed at    {when}")
    print(f"Report       {verified.claims.report_id}")
    source = "Book" if verified.claims.kind == "book" else "Case"
    print(f"{source:<12} {verified.claims.case_id} (fingerprint {verified.claims.fingerprint})")
    print(f"Chain head   {verified.claims.chain_head}")
    print(f"Trusted      {', '.join(verified.trusted_as)}")
    if args.case:
        print("Made from this case, by a signer the case recorded.")
    if args.book:
        print("Made from this book, by a signer the book recorded.")
    return ExitCode.OK


def cmd_identity_new(args: argparse.Namespace) -> int:
    from irdesk.identity.keys import create_identity

    name = unicode_text(args.name, "name").strip()
    if not name:
        raise BadInput("The name is empty.")
    info = create_identity(name, identity_passphrase(args, new=True), replace=args.replace)
    _print_identity(info)
    return ExitCode.OK


def cmd_identity_import(args: argparse.Namespace) -> int:
    from irdesk.identity.keys import import_pkcs12

    try:
        with open(args.file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise KnownError(f"{args.file} cannot be read: {exc.strerror}.") from None
    p12 = secret(
        file=args.p12_passphrase_file,
        env=("IRDESK_P12_PASSPHRASE",),
        prompt="PKCS#12 file passphrase: ",
    )
    info = import_pkcs12(data, p12, identity_passphrase(args, new=True), replace=args.replace)
    _print_identity(info)
    return ExitCode.OK


def cmd_identity_show(args: argparse.Namespace) -> int:
    from irdesk.identity.errors import NoIdentity
    from irdesk.identity.store import read_info
    from irdesk.identity.trust import trusted_certificates

    info = read_info()
    trusted = trusted_certificates()
    if info is None and not trusted:
        raise NoIdentity()
    if info is not None:
        _print_identity(info)
    else:
        print("No signing identity of your own yet (irdesk identity new --name NAME).")
    print()
    print(f"Trusted by verify ({len(trusted)}):")
    for entry in trusted:
        role = entry.role(info.fingerprint if info else None)
        print(f"  {entry.name} ({role}, expires {entry.not_after[:10]})")
        print(f"    SHA-256 {entry.fingerprint_grouped()}")
    return ExitCode.OK


def cmd_identity_trust(args: argparse.Namespace) -> int:
    from irdesk.identity.trust import load_certificate, trust

    try:
        with open(args.cert, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise KnownError(f"{args.cert} cannot be read: {exc.strerror}.") from None
    entry, new = trust(load_certificate(data))
    state = "Now trusted" if new else "Already trusted"
    print(f"{state}: {entry.name}, SHA-256 {entry.fingerprint_grouped()}")
    if new:
        print("From now on `irdesk verify` accepts the reports this certificate signs.")
    return ExitCode.OK


def cmd_identity_untrust(args: argparse.Namespace) -> int:
    from irdesk.identity.trust import untrust

    entry = untrust(args.fingerprint)
    print(f"No longer trusted: {entry.name}, SHA-256 {entry.fingerprint_grouped()}")
    return ExitCode.OK


def _print_identity(info: IdentityInfo) -> None:
    from irdesk.identity.store import CERT_FILE, identity_dir

    print(f"Name         {info.name}")
    print(f"Fingerprint  SHA-256 {info.fingerprint_grouped()}")
    print(f"Expires      {info.not_after}")
    print(f"Key          {info.algorithm} ({info.source})")
    print(f"Stored in    {identity_dir()}")
    print("Publish the fingerprint so readers can check your reports with `irdesk verify --cert`,")
    print(f"and give colleagues {os.path.join(identity_dir(), CERT_FILE)} for `irdesk identity trust`.")
