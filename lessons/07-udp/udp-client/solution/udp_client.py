# Reference solution for udp-client.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MESSAGE = os.environ.get("SOCKETLINGS_MESSAGE", "haha")

client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# No connect(): UDP names the destination on every send. One sendto() is exactly one datagram.
# UTF-8 encodes any character; the notes' ascii fails on anything outside ASCII.
client_socket.sendto(MESSAGE.encode("utf-8"), (HOST, PORT))
client_socket.close()
