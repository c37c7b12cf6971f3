"""The OS keychain for case passphrases: a real backend or nothing, never a plaintext fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from irdesk.domain.errors import KnownError

SERVICE = "irdesk"

# Backends that are not a keychain: ``fail`` and ``null`` store nothing, and the
# ``keyrings.alt`` family writes secrets to files we would not call safe.
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeychainError(KnownError):
    """The keychain refused or failed; ``message`` is one sentence for the user."""


@dataclass(frozen=True)
class KeychainStatus:
    usable: bool
    reason: str  # one line, shown beside the disabled option; empty when usable


def _is_plaintext(backend: Any) -> bool:
    module = type(backend).__module__
    return any(module == m or module.startswith(m + ".") for m in _REFUSED_MODULES)


def _real_backends(backend: Any) -> list[Any]:
    """The backends that would really hold a secret (a chainer's members, else itself)."""
    members = getattr(backend, "backends", None)
    candidates = list(members) if isinstance(members, list | tuple) else [backend]
    return [b for b in candidates if not _is_plaintext(b)]


class Keychain:
    """Remembers passphrases under the case file's salt (known before the case is unlocked)."""

    def __init__(self, backend: Any = None) -> None:
        self._backend = backend

    def _resolve(self) -> Any:
        if self._backend is None:
            try:
                import keyring

                self._backend = keyring.get_keyring()
            except Exception as exc:  # noqa: BLE001 - any failure means "no keychain"
                raise KeychainError(
                    f"The keychain cannot be loaded ({type(exc).__name__})."
                ) from None
        return self._backend

    def status(self) -> KeychainStatus:
        try:
            backend = self._resolve()
        except KeychainError as exc:
            return KeychainStatus(False, exc.message)
        real = _real_backends(backend)
        if not real:
            module = type(backend).__module__
            if module.startswith("keyrings.alt"):
                return KeychainStatus(
                    False, "Only a plaintext keyring is installed; irdesk will not use it."
                )
            return KeychainStatus(False, "No system keychain is running on this computer.")
        return KeychainStatus(True, "")

    def _backend_or_raise(self) -> Any:
        status = self.status()
        if not status.usable:
            raise KeychainError(status.reason)
        real = _real_backends(self._resolve())
        return real[0] if len(real) == 1 else self._backend

    def remember(self, key_id: str, passphrase: str) -> None:
        backend = self._backend_or_raise()
        try:
            backend.set_password(SERVICE, key_id, passphrase)
        except Exception as exc:  # noqa: BLE001 - keyring raises many kinds; all mean "not stored"
            raise KeychainError(
                _explain(exc, "The keychain did not store the passphrase")
            ) from None

    def recall(self, key_id: str) -> str | None:
        """The remembered passphrase, or None (nothing stored, no keychain, or it is locked)."""
        try:
            backend = self._backend_or_raise()
            return backend.get_password(SERVICE, key_id)
        except Exception:  # noqa: BLE001 - the passphrase prompt always remains
            return None

    def forget(self, key_id: str) -> None:
        try:
            backend = self._backend_or_raise()
            backend.delete_password(SERVICE, key_id)
        except Exception:  # noqa: BLE001 - nothing stored, or no keychain: nothing to forget
            return


def _explain(exc: Exception, what: str) -> str:
    name = type(exc).__name__
    if name == "KeyringLocked":
        return f"{what}: the keychain is locked."
    return f"{what} ({name})."


def key_id_for(salt: bytes) -> str:
    """The account name a case's passphrase is stored under: its salt, never its path or title."""
    return "case-" + salt.hex()
