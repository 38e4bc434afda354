# Reference solution for async-chat: one task per client, all on one event loop.
import asyncio
import os

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

members = {}  # writer -> name. One thread: no lock needed between two awaits.
BEHIND = 1 << 20  # unsent bytes after which a member is dropped rather than buffered for ever


def broadcast(text, sender):
    data = text.encode("utf-8")
    for writer in list(members):
        if writer is sender or writer.is_closing():
            continue
        # write() sends what the kernel takes now and keeps the rest in this process. Awaiting drain() here
        # would make the sender (and so everyone) wait for the slowest reader; not waiting costs memory
        # instead, so a member too far behind is dropped: its handle() then sees the end and says it left.
        if writer.transport.get_write_buffer_size() > BEHIND:
            writer.close()
        else:
            writer.write(data)


async def handle(reader, writer):
    try:
        first = await reader.readline()
        if not first.endswith(b"\n"):
            return  # closed before saying its name: it never joined
        name = first.decode("utf-8").rstrip("\r\n")
        members[writer] = name
        broadcast(f"* {name} joined\n", writer)
        try:
            while line := await reader.readline():
                if not line.endswith(b"\n"):
                    break  # closed in the middle of a line
                broadcast(f"{name}: {line.decode('utf-8').rstrip(chr(13) + chr(10))}\n", writer)
        except OSError:
            pass  # reset: the client is gone
        del members[writer]
        broadcast(f"* {name} left\n", writer)
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, HOST, PORT)
    async with server:
        await server.serve_forever()


asyncio.run(main())
