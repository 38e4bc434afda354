# Reference solution for tls-client.
import os
import socket
import ssl

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
IMPOSTOR_PORT = int(os.environ.get("SOCKETLINGS_IMPOSTOR_PORT", "8080"))
CA = os.environ.get("SOCKETLINGS_CA", "test-ca.pem")  # the pack's TEST-ONLY CA

# Verification on (the default): the chain must lead to CA, and the certificate must be for "localhost".
context = ssl.create_default_context(cafile=CA)

with socket.create_connection((HOST, PORT)) as raw:
    with context.wrap_socket(raw, server_hostname="localhost") as tls:
        print("tls", tls.version())
        with tls.makefile("rb") as f:
            line = f.readline()
        tls.sendall(b"ECHO " + line.split()[1] + b"\n")

try:
    with socket.create_connection((HOST, IMPOSTOR_PORT)) as raw:
        with context.wrap_socket(raw, server_hostname="localhost"):
            print("talked to an impostor")
except ssl.SSLCertVerificationError as e:
    print("refused", e.verify_message)
