"""Errors raised by the cluster client. Messages never carry Secret values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aigw_sdk.errors import AIGWError

if TYPE_CHECKING:
    from aigw_sdk.apply.results import ApplyReport


class ClusterError(AIGWError):
    """A request to the cluster failed, or the cluster cannot serve what the bundle needs."""


class APIError(ClusterError):
    """The API server answered with an error ``Status``.

    ``status`` is the HTTP code, ``reason`` the Status reason (``Invalid``, ``Conflict``,
    ``NotFound`` …), ``message`` the server's own message and ``causes`` its field causes.
    """

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        causes: Sequence[dict[str, Any]] = (),
    ) -> None:
        self.status = status
        self.reason = reason
        self.message = message
        self.causes = list(causes)
        super().__init__(f"{status} {reason}: {message}" if reason else f"{status}: {message}")


class CRDsMissingError(ClusterError):
    """The cluster does not serve the AI Gateway (or another needed) custom resources."""


class ApplyFailedError(ClusterError):
    """Some objects could not be applied; ``report`` tells what was applied and what failed."""

    def __init__(self, message: str, report: ApplyReport) -> None:
        self.report = report
        super().__init__(message)


class FieldManagerConflictError(ApplyFailedError):
    """Another field manager owns fields the bundle sets; ``force=True`` takes them over."""


class WaitTimeoutError(ClusterError):
    """Objects did not reach the awaited condition in time; ``pending`` names them."""

    def __init__(self, message: str, pending: Sequence[str]) -> None:
        self.pending = list(pending)
        super().__init__(message)
