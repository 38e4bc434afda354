# Exercise async-chat: lesson 10's chat server again, with asyncio streams.
# Run it: socketlings verify async-chat
import asyncio
import os

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: asyncio.start_server(handle, HOST, PORT), then serve_forever().
#       In handle(reader, writer): the first line (await reader.readline()) is the name; tell every other
#       member "* NAME joined\n"; each later line TEXT goes to every other member as "NAME: TEXT\n";
#       when readline() returns b'' (or raises), tell the others "* NAME left\n".
#       A client that closes before sending its name never joined: tell nobody.
