"""Typed errors of Akhbar's core library."""
from __future__ import annotations


class AkhbarError(Exception):
    """Base of every error Akhbar raises on purpose."""


class IndexMissingError(AkhbarError):
    """No usable index at a location.  The message names the location (for the operator);
    :attr:`public` does not (for a web client)."""

    def __init__(self, path, detail: str = "no index", hint: str | None = None):
        self.path, self.detail = str(path), detail
        self.hint = hint or "build it with: akhbar index"
        super().__init__(f"{detail} at {self.path!r}; {hint or f'build it with: akhbar index --index {self.path}'}")

    @property
    def public(self) -> str:
        """What is wrong and how to mend it, without the index's location."""
        return f"{self.detail}; {self.hint}"


class ConfigError(AkhbarError):
    """A setting has a value Akhbar cannot use (the message names it and says what it should be)."""


class BuildError(AkhbarError):
    """A rebuild failed; the previous index (if any) is still the one served."""


class EngineUnavailableError(AkhbarError):
    """A search cluster cannot serve: unreachable, refusing the credentials, or red.  The message is
    one line that says what to check, and never holds credentials; :attr:`public` (for a web client)
    does not name the cluster either."""

    def __init__(self, message: str, public: str | None = None):
        super().__init__(message)
        self.public = public or "the search cluster cannot serve now"
