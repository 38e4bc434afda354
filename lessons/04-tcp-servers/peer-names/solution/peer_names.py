# Reference solution for peer-names.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen()

conn, addr = server.accept()
# Ask the connection, not the listening socket: the listening socket has no peer at all.
peer_host, peer_port = conn.getpeername()  # the client's end (the same as addr)
sock_host, sock_port = conn.getsockname()  # our own end: the address we listen on
print("peer", peer_host, peer_port)
print("sock", sock_host, sock_port)
conn.close()
server.close()
