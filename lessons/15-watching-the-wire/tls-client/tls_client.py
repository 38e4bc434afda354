# Exercise tls-client: talk TLS to a server, and refuse one whose certificate does not check out.
# Run it: socketlings verify tls-client
import os
import socket
import ssl

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
IMPOSTOR_PORT = int(os.environ.get("SOCKETLINGS_IMPOSTOR_PORT", "8080"))
CA = os.environ.get("SOCKETLINGS_CA", "test-ca.pem")  # the pack's TEST-ONLY CA

# TODO: 1. Connect to (HOST, PORT) over TLS, verifying the server's certificate against CA for the name
#          "localhost" (ssl.create_default_context(cafile=CA), then wrap_socket(..., server_hostname=...)).
#          Print "tls <version>" (the TLS socket's version()). Read the line "TOKEN <hex>\n", send back
#          "ECHO <hex>\n", and close.
#       2. Connect to (HOST, IMPOSTOR_PORT) the same way. Its certificate is self-signed, or signed by CA for
#          another name: the handshake must fail with ssl.SSLCertVerificationError. Print
#          "refused <its verify_message>".
