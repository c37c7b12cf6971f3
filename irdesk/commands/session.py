"""What every case command needs: secrets from prompt/env/file, the author, an open case."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from irdesk.commands.exits import CommandError, UsageError

if TYPE_CHECKING:
    from irdesk.casefile.store import CaseFile


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", metavar="PATH",
                        help="read the case passphrase from a file (else IRDESK_PASSPHRASE, else a prompt)")


def add_new_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--new-passphrase-file", metavar="PATH",
                        help="read the new passphrase from a file (else IRDESK_NEW_PASSPHRASE, else a prompt)")


def read_secret_file(path: str) -> str:
    """A secret from a file, with one trailing newline stripped."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise UsageError(f"The passphrase file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"The passphrase file {path} cannot be read: {exc}.") from None
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def secret(*, file: str | None, env: tuple[str, ...], prompt: str, confirm: bool = False) -> str:
    """The first of: the file, the first set environment variable, an interactive prompt."""
    if file:
        return read_secret_file(file)
    for name in env:
        value = os.environ.get(name)
        if value is not None:
            return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(f"No passphrase given: set {env[0]} or use a passphrase file.")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != value:
        raise UsageError("The two passphrases differ.")
    return value


def case_passphrase(args: argparse.Namespace) -> str:
    return secret(file=getattr(args, "passphrase_file", None), env=("IRDESK_PASSPHRASE",),
                  prompt="Case passphrase: ")


def new_passphrase(args: argparse.Namespace, *, fallback_env: bool = False, context: tuple[str, ...] = ()) -> str:
    """A new passphrase, refused (exit 2) with the reason when it is weak."""
    from irdesk.domain.passphrase import assess

    env = ("IRDESK_NEW_PASSPHRASE", "IRDESK_PASSPHRASE") if fallback_env else ("IRDESK_NEW_PASSPHRASE",)
    value = secret(file=getattr(args, "new_passphrase_file", None), env=env,
                   prompt="New passphrase: ", confirm=True)
    strength = assess(value, context)
    if not strength.acceptable:
        raise UsageError(strength.reason)
    return value


def author(args: argparse.Namespace) -> str:
    """--author, else IRDESK_AUTHOR, else the signing identity's name, else the login name."""
    if getattr(args, "author", None):
        return str(args.author)
    if os.environ.get("IRDESK_AUTHOR"):
        return os.environ["IRDESK_AUTHOR"]
    try:
        from irdesk.identity.store import configured_name

        name = configured_name()
    except ImportError:
        name = None
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown responder"


def open_case(args: argparse.Namespace, *, writable: bool) -> CaseFile:
    """Unlock ``args.case`` with its passphrase; read-only commands never change the file."""
    from irdesk.casefile.connection import read_salt
    from irdesk.casefile.store import CaseFile

    read_salt(args.case)  # a missing or non-case file fails before we ask for a passphrase
    return CaseFile.open(args.case, case_passphrase(args), actor=author(args), writable=writable)


def parse_moment(text: str | None, what: str = "--at"):
    """An ISO 8601 time (no offset: local time), or ``now``; None stays None."""
    from irdesk.domain.moment import Moment

    if text is None:
        return None
    if text.strip().lower() == "now":
        return Moment.now()
    try:
        return Moment.parse(text)
    except ValueError:
        raise UsageError(f"{what} must be an ISO 8601 date and time, like 2026-11-28T14:05+01:00.") from None


def choice_of(enum_cls):
    """An argparse ``type`` for a kebab-case enum, with a readable error."""

    def convert(text: str):
        try:
            return enum_cls(text.lower())
        except ValueError:
            values = ", ".join(e.value for e in enum_cls)
            raise argparse.ArgumentTypeError(f"choose one of: {values}") from None

    convert.__name__ = enum_cls.__name__.lower()
    return convert


def fail(message: str, code: int = 1) -> CommandError:
    return CommandError(message, code)
