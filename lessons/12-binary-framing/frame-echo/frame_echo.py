# Exercise frame-echo: a server for length-prefixed binary frames.
# Run it: socketlings verify frame-echo
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MAX_FRAME = 65536

# TODO: listen on (HOST, PORT) and serve one client after another. A frame is a 4-byte big-endian unsigned
#       length (struct format "!I"), then that many bytes of payload.
#       For each frame a client sends, answer one frame whose payload is the frame's number on this
#       connection (1, 2, 3 ... as "!I") followed by the payload:
#           struct.pack("!II", 4 + len(payload), number) + payload
#       A header may arrive a byte at a time, and several frames may arrive in one recv().
#       A length of 0 is a frame. A length over MAX_FRAME: close() the connection at once, without reading
#       the body. When the client closes between frames, close the connection and accept the next client.
