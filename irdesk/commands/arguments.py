"""The shapes every command's arguments share: a case and its passphrase, enums, times, dates."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment, OutOfRange
from irdesk.domain.timebounds import RANGE, bounds_problem

E = TypeVar("E", bound=StrEnum)
Handler = Callable[[argparse.Namespace], int | None]


def case_command(sub: argparse._SubParsersAction, name: str, help: str, handler: Handler, *,
                 passphrase: bool = True) -> argparse.ArgumentParser:
    """A subcommand that works on ``CASE``, with the ``--passphrase-file`` option."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help)
    parser.add_argument("case", metavar="CASE")
    if passphrase:
        add_passphrase_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def actions(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction:
    """The ACTION subcommands of a group such as ``evidence`` or ``action``."""
    return parser.add_subparsers(dest=dest, metavar="ACTION", parser_class=type(parser))


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", metavar="PATH",
                        help="read the case passphrase from a file (else IRDESK_PASSPHRASE, else a prompt)")


def add_book_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--book-passphrase-file", metavar="PATH",
                        help="read the book's passphrase from a file (else IRDESK_BOOK_PASSPHRASE, else a prompt)")


def add_new_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--new-passphrase-file", metavar="PATH",
                        help="read the new passphrase from a file (else IRDESK_NEW_PASSPHRASE, else a prompt)")


def choice_of(enum_cls: type[E]) -> Callable[[str], E]:
    """An argparse ``type`` for a kebab-case enum, with a readable error."""

    def convert(text: str) -> E:
        try:
            return enum_cls(text.lower())
        except ValueError:
            values = ", ".join(e.value for e in enum_cls)
            raise argparse.ArgumentTypeError(f"choose one of: {values}") from None

    convert.__name__ = enum_cls.__name__.lower()
    return convert


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number from ``low`` to ``high``, with a readable error."""

    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"give a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"give a whole number from {low} to {high}")
        return value

    convert.__name__ = "number"
    return convert


def parse_moment(text: str | None, what: str = "--at") -> Moment | None:
    """An ISO 8601 time (no offset: local time), or ``now``; None stays None.

    Refused (exit 2): text that is not a time, and a time outside the bounds every case
    keeps (``irdesk.domain.timebounds``), in one sentence naming it.
    """
    if text is None:
        return None
    if text.strip().lower() == "now":
        moment = Moment.now()
    else:
        try:
            moment = Moment.parse(text)
        except OutOfRange:
            raise BadInput(f"The time given with {what} {text.strip()} is out of range: irdesk takes times "
                           f"{RANGE}.") from None
        except ValueError:
            raise BadInput(f"{what} must be an ISO 8601 date and time, like 2026-11-28T14:05+01:00.") from None
    problem = bounds_problem(moment, f"time given with {what}")
    if problem:
        raise BadInput(problem)
    return moment


def parse_date(text: str | None, what: str) -> date | None:
    from irdesk.domain.moment import parse_date as parse

    if text is None:
        return None
    try:
        value = parse(text)
    except ValueError as exc:
        raise BadInput(f"{what}: {exc}.") from None
    problem = bounds_problem(value, f"date given with {what}")
    if problem:
        raise BadInput(problem)
    return value


def unicode_text(value: str, what: str) -> str:
    """``value`` if it is valid UTF-8 text (command lines and environments may hold any bytes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"The {what} is not valid UTF-8 text.") from None
    return value


def text_argument(value: str, what: str) -> str:
    """A text argument (``-`` reads standard input); refused when empty or not UTF-8."""
    if value == "-":
        value = sys.stdin.read()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"The {what} is not valid UTF-8 text.") from None
    if not value.strip():
        raise BadInput(f"The {what} is empty.")
    return value


def given(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    """The options among ``names`` that were given on the command line."""
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def times_given(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Moment | None]:
    """The time options among ``names`` that were given, parsed (``now`` included)."""
    return {n: parse_moment(v, "--" + n.replace("_", "-")) for n, v in given(args, names).items()}


def require_changes(changes: dict[str, Any]) -> None:
    if not changes:
        raise BadInput("Nothing to change: give at least one field.")


def attack_ids(values: list[str]) -> tuple[str, ...]:
    """``--attack`` ids checked against the shipped ATT&CK catalogue before the case opens:
    unknown or revoked ones refused (exit 2), a deprecated one warned about on stderr."""
    from irdesk.domain.attack import check_entered

    ids, warnings = check_entered(values)
    for warning in warnings:
        print(warning, file=sys.stderr)
    return ids
