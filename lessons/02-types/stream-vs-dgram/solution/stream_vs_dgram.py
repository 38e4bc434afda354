# Reference solution for stream-vs-dgram.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
UDP_HOST = os.environ.get("SOCKETLINGS_UDP_HOST", "localhost")
UDP_PORT = int(os.environ.get("SOCKETLINGS_UDP_PORT", "8080"))
MESSAGE = os.environ.get("SOCKETLINGS_MESSAGE", "haha")

message = MESSAGE.encode("ascii")

# TCP: the address is named once, in connect(); sendall() takes no address.
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.connect((HOST, PORT))
tcp.sendall(message)
tcp.close()  # the receiver reads b'' and knows the message is complete

# UDP: no connection; sendto() names the receiver, and one call is one datagram.
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.sendto(message, (UDP_HOST, UDP_PORT))
udp.close()
