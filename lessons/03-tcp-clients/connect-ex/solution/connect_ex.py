# Reference solution for connect-ex.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
OTHER_HOST = os.environ.get("SOCKETLINGS_OTHER_HOST", "localhost")
OTHER_PORT = int(os.environ.get("SOCKETLINGS_OTHER_PORT", "8080"))

# One new socket per attempt: a socket that is already connected cannot connect again.
for address in ((HOST, PORT), (OTHER_HOST, OTHER_PORT)):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    err = s.connect_ex(address)  # 0 on success, an errno number on failure; never raises for a refusal
    print(err)
    s.close()
