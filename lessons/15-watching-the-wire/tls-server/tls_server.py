# Exercise tls-server: an echo server over TLS.
# Run it: socketlings verify tls-server
import os
import socket
import ssl

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
CERT = os.environ.get("SOCKETLINGS_CERT", "test-server.pem")  # TEST-ONLY certificate and key
KEY = os.environ.get("SOCKETLINGS_KEY", "test-server.key")

# TODO: make a server-side TLS context with CERT and KEY:
#           context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH); context.load_cert_chain(CERT, KEY)
#       Listen on (HOST, PORT). For each client, one after another: wrap the accepted socket with
#       context.wrap_socket(..., server_side=True) and send back every byte it sends until recv() returns b'';
#       then close. A client that speaks no TLS makes the handshake fail: end that connection, not the server.
