# Reference solution for concurrent-server: one thread per connection.
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))


def handle(conn):
    # Runs in its own thread: while it waits in recv(), the other threads keep serving their clients.
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen()
while True:
    conn, addr = server.accept()
    # Pass conn as an argument: each thread must keep its own connection.
    # daemon=True: these threads do not keep the program alive once the main thread ends.
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
