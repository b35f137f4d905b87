"""The HTTP/1.1 protocol the gateway serves with: uvicorn's h11 protocol, except that a
request h11 cannot parse (raw non-ASCII bytes in the URL, a malformed request line or
header) is answered with a 400 problem+json like every other refusal, not text/plain."""

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

BODY = json.dumps({"type": "https://bth.example.org/problems/malformed-request", "title": "Malformed request",
                   "status": 400, "detail": "the request line or a header is not valid HTTP/1.1; "
                                            "percent-encode non-ASCII characters in the URL"}).encode()


class ProblemH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(BODY)).encode()),
                   (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=BODY),
                      h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()
