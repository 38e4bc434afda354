# Exercise discover: ask "who is there?" by broadcast and collect the answers.
# Run it: socketlings verify discover
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "127.255.255.255")  # the loopback's broadcast address
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
WAIT = float(os.environ.get("SOCKETLINGS_WAIT", "1"))  # seconds to collect answers

# TODO: make a UDP socket that may broadcast (SO_BROADCAST) and send b"WHO?" to (HOST, PORT).
#       Every machine listening there answers b"HERE <name>" to you. Collect answers for WAIT
#       seconds after the broadcast, then print each name once, in the order they first answered.
