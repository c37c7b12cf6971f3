"""What makes a function an operation: one transaction, and the change set it produced."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from irdesk.casefile.changes import Done
from irdesk.casefile.container import EncryptedFile

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=EncryptedFile)


def operation(fn: Callable[Concatenate[F, P], T]) -> Callable[Concatenate[F, P], Done[T]]:
    """Run ``fn`` in one transaction of the file (a case or a book) and return its result with
    its changes.

    Operations nest: one called inside another joins its transaction, and its changes
    count for the outer one too.
    """

    @functools.wraps(fn)
    def run(case: F, /, *args: P.args, **kwargs: P.kwargs) -> Done[T]:
        with case.transaction() as log:
            value = fn(case, *args, **kwargs)
        return Done(value, log.freeze())

    return run
