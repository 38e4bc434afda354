# Reference solution for event-echo: one thread, non-blocking sockets, an outgoing buffer per client.
import collections
import os
import selectors
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

sel = selectors.DefaultSelector()


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.pending = collections.deque()  # chunks not yet taken by the kernel
        self.reading = True  # False once the client has half-closed

    def events(self):
        return (selectors.EVENT_READ if self.reading else 0) | (
            selectors.EVENT_WRITE if self.pending else 0
        )


def update(c):
    if c.events():
        sel.modify(c.sock, c.events(), c)
    else:  # finished reading and everything sent: done
        sel.unregister(c.sock)
        c.sock.close()


def on_readable(c):
    try:
        data = c.sock.recv(65536)
    except BlockingIOError:
        return
    except OSError:
        data = b""
        c.pending.clear()  # reset: nothing can be delivered any more
    if data:
        c.pending.append(data)
    else:
        c.reading = False
    update(c)


def on_writable(c):
    while c.pending:
        chunk = c.pending[0]
        try:
            sent = c.sock.send(chunk)
        except BlockingIOError:
            break  # the kernel's buffer is full: wait for the next EVENT_WRITE
        except OSError:
            c.pending.clear()
            c.reading = False
            break
        if sent < len(chunk):
            c.pending[0] = chunk[sent:]
            break
        c.pending.popleft()
    update(c)


server = socket.create_server((HOST, PORT))
server.setblocking(False)
sel.register(server, selectors.EVENT_READ)
while True:
    for key, mask in sel.select():
        if key.fileobj is server:
            sock, _ = server.accept()
            sock.setblocking(False)
            c = Client(sock)
            sel.register(sock, c.events(), c)
            continue
        c = key.data
        if mask & selectors.EVENT_READ and c.reading:
            on_readable(c)
        if mask & selectors.EVENT_WRITE and c.sock.fileno() != -1 and c.pending:
            on_writable(c)
