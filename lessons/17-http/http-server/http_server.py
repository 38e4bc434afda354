# Exercise http-server: a small HTTP/1.1 server with keep-alive, pipelining and 400 for bad requests.
# Run it: socketlings verify http-server
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT) and serve every connection at the same time.
#       On each connection, read requests one after another until the client closes:
#         GET /echo/<text>  ->  200, the body is <text>
#         POST /echo        ->  200, the body is the request's body (Content-Length bytes)
#         anything else     ->  404
#       Every response: "HTTP/1.1 <code> <reason>\r\n", a Content-Length field, an empty line, the body.
#       A request with "Connection: close": answer, then close. A malformed request (not three
#       parts, a field line without a colon, no Host field, a Content-Length that is not a
#       number): answer 400, then close.
