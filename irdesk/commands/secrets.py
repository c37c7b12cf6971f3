"""Secrets for the command line: from a file, the environment, or a prompt."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from irdesk.domain.errors import BadInput


def read_secret_file(path: str) -> str:
    """A secret from a file, with one trailing newline stripped."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise BadInput(f"The passphrase file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"The passphrase file {path} cannot be read: {exc}.") from None
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
        raise BadInput(f"No passphrase given: set {env[0]} or use a passphrase file.")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != value:
        raise BadInput("The two passphrases differ.")
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
        raise BadInput(strength.reason)
    return value


def book_passphrase(args: argparse.Namespace) -> str:
    """The readiness book's passphrase: ``--book-passphrase-file``, IRDESK_BOOK_PASSPHRASE, a prompt."""
    return secret(file=getattr(args, "book_passphrase_file", None), env=("IRDESK_BOOK_PASSPHRASE",),
                  prompt="Book passphrase: ")


def new_book_passphrase(args: argparse.Namespace, *, context: tuple[str, ...] = ()) -> str:
    """A new book's passphrase: IRDESK_NEW_PASSPHRASE first, else IRDESK_BOOK_PASSPHRASE; weak ones refused."""
    from irdesk.domain.passphrase import assess

    value = secret(file=getattr(args, "new_passphrase_file", None),
                   env=("IRDESK_NEW_PASSPHRASE", "IRDESK_BOOK_PASSPHRASE"), prompt="New book passphrase: ",
                   confirm=True)
    strength = assess(value, context)
    if not strength.acceptable:
        raise BadInput(strength.reason)
    return value
