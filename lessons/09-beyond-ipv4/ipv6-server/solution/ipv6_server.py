# Reference solution for ipv6-server.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "::1")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# Only the family differs from an IPv4 echo server; the address is still (host, port).
with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    while True:
        conn, addr = server.accept()
        # addr is (host, port, flowinfo, scope_id): four items, so `host, port = addr` would fail.
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:  # the client shut down its sending side
                    break
                conn.sendall(data)
