# Exercise http-client: three requests on one HTTP/1.1 connection, three ways to end a body.
# Run it: socketlings verify http-client
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
PATHS = os.environ.get("SOCKETLINGS_PATHS", "/one /two /three").split()

# TODO: connect to (HOST, PORT) once. For each path, in order, send
#         GET <path> HTTP/1.1\r\nHost: <HOST>:<PORT>\r\n\r\n
#       (the last one with a "Connection: close\r\n" field too), read the response, and
#       print(body.decode()). Every line of a head ends in \r\n; an empty line ends the head.
#       A body is sized by Content-Length, or sent in chunks (Transfer-Encoding: chunked),
#       or, with neither, runs until the server closes the connection.
