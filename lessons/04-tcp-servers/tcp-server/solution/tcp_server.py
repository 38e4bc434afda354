# Reference solution for tcp-server.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server_socket.bind((HOST, PORT))
server_socket.listen(3)
while True:
    conn, addr = server_socket.accept()
    with conn:
        # Read until the client closes: one recv() is not guaranteed to hold the whole message.
        chunks = []
        while True:
            data = conn.recv(1024)
            if not data:
                break
            chunks.append(data)
    print(b"".join(chunks).decode("utf-8"))
