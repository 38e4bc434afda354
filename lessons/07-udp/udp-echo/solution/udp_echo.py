# Reference solution for udp-echo.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind((HOST, PORT))
while True:
    # 65535 is larger than any UDP datagram, so nothing is cut off.
    data, address = server_socket.recvfrom(65535)
    # Each datagram comes with its sender's address: answer exactly that address,
    # because the next datagram may come from someone else.
    server_socket.sendto(data, address)
