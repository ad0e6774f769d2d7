"""The HTTP/1.1 protocol the gateway is served with: uvicorn's (httptools), except that a
request it cannot parse is answered like every other bad request, as an RFC 9457 problem
with a bilingual title, instead of uvicorn's plain text.

``tongban serve`` selects it (uvicorn's ``http`` setting); it overrides uvicorn's own
``send_400_response``, which a test holds to its current shape.
"""

from __future__ import annotations

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.problems import MALFORMED_TITLE, MEDIA_TYPE, Problem

_BODY = orjson.dumps(
    Problem("bad-request", 400, MALFORMED_TITLE, "not a valid HTTP/1.1 request").body()
)
_HEAD = (
    b"content-type: " + MEDIA_TYPE.encode() + b"\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\n"
    b"connection: close\r\n\r\n"
)


class GatewayHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        lines = [b"HTTP/1.1 400 Bad Request\r\n"]
        lines += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        self.transport.write(b"".join(lines) + _HEAD + _BODY)
        self.transport.close()
