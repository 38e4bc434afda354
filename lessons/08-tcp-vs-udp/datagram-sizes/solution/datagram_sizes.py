# Reference solution for datagram-sizes.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind((HOST, PORT))
while True:
    # The buffer must hold the largest datagram: a longer one is cut to the buffer's
    # size and the rest is thrown away. 65535 is more than any UDP datagram can be.
    data, address = server_socket.recvfrom(65535)
    # len() of the bytes, not of decoded text: sizes count bytes, not characters.
    # b'' is a zero-length datagram, not a closed connection: UDP has none to close.
    print(len(data))
