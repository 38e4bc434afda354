# Exercise json-messages: send a dict as one line of JSON, read the JSON reply, print one field of it.
# Run it: socketlings verify json-messages
import json
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
NAME = os.environ.get("SOCKETLINGS_NAME", "alice")
TAGS = os.environ.get("SOCKETLINGS_TAGS", "red green blue")

# TODO: build the dict {"name": NAME, "tags": [each word of TAGS, in order]}.
#       Connect to (HOST, PORT) and send it as one line of JSON: json.dumps(...) encoded as UTF-8, then b"\n".
#       The server answers with one line of JSON, which may arrive a few bytes at a time: read up to the "\n",
#       parse it with json.loads(), and print the value of its "id" field. Then close the socket.
