"""The command line: parse arguments, call the case file and services, print results.

Start-up stays light: nothing here imports Qt, SQLCipher or reportlab until a command
needs them, so ``irdesk --version`` is instant. A ``KnownError`` becomes its one sentence
on stderr and its exit code; anything else is a bug, reported in one sentence too, with
the traceback only when IRDESK_DEBUG is set.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import NoReturn, TextIO

from irdesk import __version__
from irdesk.domain.errors import BadInput, ExitCode, KnownError

COMMAND_MODULES = ("case", "notes", "evidence", "contacts", "actions", "interop", "indicators", "report",
                   "transfer", "regulatory", "book", "drill", "gui")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print its usage, then exit 2
        self.print_usage(sys.stderr)
        raise BadInput(message[0].upper() + message[1:] + ("" if message.endswith(".") else "."))


def build_parser() -> Parser:
    import importlib

    parser = Parser(prog="irdesk", description="Encrypted incident case files for responders.")
    parser.add_argument("--version", action="version", version=f"irdesk {__version__}")
    parser.add_argument("--author", help="who is making changes (default: IRDESK_AUTHOR, the "
                        "signing identity's name, or the login name)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"irdesk.commands.{name}").register(sub)
    return parser


def describe(exc: BaseException) -> tuple[ExitCode, str]:
    """The exit code and the one sentence to print for a failure."""
    if isinstance(exc, KnownError):
        return exc.exit_code, exc.message
    if isinstance(exc, MemoryError):
        return ExitCode.OTHER, "Out of memory."
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return ExitCode.OTHER, f"{exc.strerror}{where}."
    return ExitCode.OTHER, f"irdesk hit a bug ({type(exc).__name__}: {exc}); set IRDESK_DEBUG=1 for details."


def silence_library_logs() -> None:
    """Keep library loggers (pyHanko, certvalidator, vobject…) off stderr: a failure is one sentence.

    With no handler anywhere, Python's last-resort handler would print their warnings, such
    as the traceback pyHanko logs before refusing an altered PDF. IRDESK_DEBUG shows them.
    """
    import logging

    if os.environ.get("IRDESK_DEBUG"):
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")
    else:
        logging.getLogger().addHandler(logging.NullHandler())


def readable_streams() -> None:
    """Let stdout and stderr print file names of any bytes (as ``caf\\xe9.ircase``), never fail."""
    import codecs

    from irdesk.domain.paths import shown_on_error

    codecs.register_error("irdesk-shown", shown_on_error)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="irdesk-shown")
    if not isinstance(sys.stdout, _Inert):
        sys.stdout = _Inert(sys.stdout)


class _Inert:
    """Standard output that prints the text a case holds, never runs it: a note, title or name
    from a colleague's copy may carry terminal escapes (clear the screen, retitle the window,
    fake a prompt), so control characters other than newline and tab are written escaped
    (``\x1b``). JSON and everything else irdesk prints itself carry none."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_UNSAFE.sub(lambda found: ascii(found.group())[1:-1], text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def say_error(message: str) -> None:
    """One line on stderr: control characters a message quotes (an id typed with a newline) are
    escaped; a file name that is not UTF-8 is written readably (``caf\\xe9.ircase``) by the
    stream's error handler (``readable_streams``), else as the bytes it is."""
    message = _CONTROL.sub(lambda found: ascii(found.group())[1:-1], message)
    line = f"irdesk: {message}\n"
    try:
        sys.stderr.write(line)
    except UnicodeEncodeError:
        buffer = getattr(sys.stderr, "buffer", None)
        if buffer is None:
            sys.stderr.write(line.encode("utf-8", "backslashreplace").decode("utf-8"))
            return
        sys.stderr.flush()
        buffer.write(line.encode("utf-8", "surrogateescape"))
        buffer.flush()


def run(argv: list[str]) -> int:
    readable_streams()
    try:
        if not argv or argv[0] in ("--version", "-V"):
            if argv:
                print(f"irdesk {__version__}")
                return ExitCode.OK
            argv = ["gui"]
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help(sys.stderr)
            return ExitCode.USAGE
        from irdesk.hardening import harden_process

        harden_process()
        silence_library_logs()
        return int(args.handler(args) or ExitCode.OK)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if isinstance(exc.code, int) else ExitCode.USAGE
    except KeyboardInterrupt:
        print("irdesk: interrupted; nothing was half-written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # noqa: BLE001 - the one place every failure becomes a sentence
        code, message = describe(exc)
        say_error(message)
        if not isinstance(exc, KnownError) and os.environ.get("IRDESK_DEBUG"):
            import traceback

            traceback.print_exc()
        return code
