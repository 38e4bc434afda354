# Reference solution for udp-server.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind((HOST, PORT))
while True:
    # 65535 is larger than any UDP datagram, so recvfrom never truncates.
    data, address = server_socket.recvfrom(65535)
    print(data.decode("utf-8"))
