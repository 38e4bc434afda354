# Reference solution for tls-server.
import os
import socket
import ssl

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
CERT = os.environ.get("SOCKETLINGS_CERT", "test-server.pem")  # TEST-ONLY certificate and key
KEY = os.environ.get("SOCKETLINGS_KEY", "test-server.key")

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(CERT, KEY)

with socket.create_server((HOST, PORT)) as server:
    while True:
        raw, _ = server.accept()  # plain TCP: the handshake happens per connection, below
        try:
            with context.wrap_socket(raw, server_side=True) as conn:
                while data := conn.recv(65536):
                    conn.sendall(data)
        except OSError:  # ssl.SSLError included: a failed handshake ends this connection only
            raw.close()
