# Reference solution for tcp-client.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MESSAGE = os.environ.get("SOCKETLINGS_MESSAGE", "haha")

client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client_socket.connect((HOST, PORT))
# sendall keeps sending until every byte is out; send may stop early.
client_socket.sendall(MESSAGE.encode("utf-8"))
client_socket.close()
