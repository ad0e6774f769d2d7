"""Errors adapters raise. The gateway maps them to problem+json at one boundary.

    AdapterError
    ├── ConfigurationError        the province's configuration cannot work (start-up / registration)
    ├── ItemNotServed             the province has not opened this item (事项未开通)
    ├── CaseNotFound              the province does not know the reference
    ├── UpstreamRejected          the province refused the request's content (business error)
    └── UpstreamFailure           the province could not answer properly
        ├── UpstreamUnavailable   connection refused, reset, HTTP 5xx, system error codes
        ├── UpstreamTimeout       no complete answer within the deadline
        ├── UpstreamAuthFailed    our credentials were refused
        └── UpstreamProtocolError the answer broke the protocol (malformed, wrong encoding)

Messages never contain personal data: they name fields and codes, not values.
"""

from __future__ import annotations


class AdapterError(Exception):
    def __init__(self, message: str, *, province: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.province = province
        self.code = code  # the province's own error code, when it gave one


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


class UpstreamTimeout(UpstreamFailure):
    pass


class UpstreamAuthFailed(UpstreamFailure):
    retryable = False


class UpstreamProtocolError(UpstreamFailure):
    retryable = False
