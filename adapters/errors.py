"""Errors adapters raise. The gateway maps them to problem+json at one boundary.

    AdapterError
    ├── ConfigurationError        the province's configuration cannot work (start-up / registration)
    ├── ItemNotServed             the province has not opened this item (事项未开通)
    ├── CaseNotFound              the province does not know the reference
    ├── UpstreamRejected          the province refused the request's content (business error)
    └── UpstreamFailure           the province could not answer properly
        ├── UpstreamUnavailable   connection refused, reset, HTTP 5xx, system error codes
        │   ├── CircuitOpen       not sent: the gateway's breaker for the province is open
        │   └── ProvinceOverloaded not sent: too many calls to the province in flight
        ├── UpstreamTimeout       no complete answer within the deadline
        ├── UpstreamAuthFailed    our credentials were refused
        └── UpstreamProtocolError the answer broke the protocol (malformed, wrong encoding)

Messages never contain personal data: they name fields and codes, not values. A province's
own words about an error (``province_says``: its message, a SOAP fault string) may quote what
it was sent (names, ID numbers), so they are kept apart: only the caller of the request that
failed sees them, in the problem's detail; logs, health, stored notes and metrics never do.
"""

from __future__ import annotations


class AdapterError(Exception):
    def __init__(
        self,
        message: str,
        *,
        province: str,
        code: str | None = None,
        province_says: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.province = province
        self.code = code  # the province's own error code, when it gave one
        self.province_says = province_says or None  # its own words: for the caller only


class ConfigurationError(AdapterError):
    pass


class ItemNotServed(AdapterError):
    pass


class CaseNotFound(AdapterError):
    pass


class UpstreamRejected(AdapterError):
    pass


class UpstreamFailure(AdapterError):
    retryable: bool = True


class UpstreamUnavailable(UpstreamFailure):
    pass


class CircuitOpen(UpstreamUnavailable):
    """Not sent: the province failed repeatedly and its circuit breaker is open.

    Raised by the gateway's resilience layer, never by an adapter. Retryable: the outbox
    simply reschedules; ``retry_after`` says when the breaker lets a probe through.
    """

    def __init__(self, message: str, *, province: str, retry_after: float) -> None:
        super().__init__(message, province=province)
        self.retry_after = retry_after


class ProvinceOverloaded(UpstreamUnavailable):
    """Not sent: the province already has as many calls in flight as it may have."""

    def __init__(self, message: str, *, province: str, retry_after: float = 1.0) -> None:
        super().__init__(message, province=province)
        self.retry_after = retry_after


class UpstreamTimeout(UpstreamFailure):
    pass


class UpstreamAuthFailed(UpstreamFailure):
    retryable = False


class UpstreamProtocolError(UpstreamFailure):
    retryable = False
