"""``httpx.AsyncClient.build_request`` for a body already in bytes, at a third of the cost.

Every adapter call builds an ``httpx.Request``. ``build_request`` copies the client's
headers into a new ``Headers``, merges the call's into it (each key looked up by decoding
every header again), then ``Request`` copies them once more and adds ``Host`` and
``Content-Length`` through the same lookups: ~38 µs of a ~650 µs query (bench, in-process),
against ~13 µs for the same request written out here in one pass over byte pairs.

``build`` makes exactly what ``build_request(method, url, content=content,
headers=headers)`` makes: the client's headers in order, less those the call names (in any
case), then the call's, in order; ``Host`` first unless named, ``Content-Length`` last for
a body (first, ``0``, for a bodiless POST, PUT or PATCH) unless ``Content-Length`` or
``Transfer-Encoding`` is named; the client's timeouts as the ``timeout`` extension; the body
read. Where the client adds anything else (a base URL, cookies, query parameters) or a
header is not ASCII (httpx would raise its own error), it is ``build_request`` itself.
``tests/adapters/test_request_build.py`` holds the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def build(
    http: httpx.AsyncClient,
    method: str,
    url: httpx.URL,
    content: bytes,
    headers: Mapping[str, str],
) -> httpx.Request:
    """``http.build_request(method, url, content=content, headers=headers)``, faster."""
    if http.cookies or http.params or url.is_relative_url:
        return http.build_request(method, url, content=content, headers=headers)
    try:
        given = [(k.encode("ascii"), v.encode("ascii")) for k, v in headers.items()]
    except (UnicodeEncodeError, AttributeError):  # httpx's own error, or its own encoding
        return http.build_request(method, url, content=content, headers=headers)
    named = {key.lower() for key, _ in given}
    kept = [pair for pair in http.headers.raw if pair[0].lower() not in named]
    named.update(key.lower() for key, _ in kept)
    raw = kept + given
    method = method.upper()
    first: list[tuple[bytes, bytes]] = []
    if b"host" not in named and url.host:
        first.append((b"Host", url.netloc))
    sized = b"content-length" in named or b"transfer-encoding" in named
    if content and b"content-length" not in named:
        raw.append((b"Content-Length", str(len(content)).encode("ascii")))
    elif not content and not sized and method in _BODY_METHODS:
        first.append((b"Content-Length", b"0"))
    request = httpx.Request(
        method,
        url,
        headers=first + raw,
        stream=httpx.ByteStream(content),
        extensions={"timeout": http.timeout.as_dict()},
    )
    request.read()
    return request
