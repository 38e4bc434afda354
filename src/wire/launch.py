# socketlings' launcher: runs a learner's Python file exactly as `python FILE ARGS...` would, and tells the grader
# over an inherited pipe each time one of its sockets binds or listens, and each time it forks. Where the kernel's
# socket tables cannot be read (macOS, Windows, SOCKETLINGS_PORTABLE=1), this is how the grader knows a server is
# ready without connecting to it (which a one-shot server would take as its only client) and before sending a
# datagram (which an unbound UDP socket would lose).
#
# Usage: python launch.py FILE [ARGS...], with SOCKETLINGS_READY_FD=<fd of the pipe's write end>.
# Reports, one line each, written in one os.write (atomic on a pipe):
#   listen tcp|unix <host> <port>|<path>     a stream socket now listens
#   bind udp <host> <port>                    a datagram socket is now bound
#   fork <pid>                                a child process now exists (it may become a daemon)
# Written for the Pythons socketlings supports (3.11 and newer). The learner's code sees what plain `python FILE`
# gives it: sys.argv, __file__, __name__ == "__main__", sys.path[0], exit codes, and tracebacks with no frame of
# this file.
import os
import socket
import sys
from importlib.machinery import SourceFileLoader

_FD = int(os.environ.pop("SOCKETLINGS_READY_FD", "-1"))
_HERE = os.path.abspath(__file__)


def _close_inherited():
    """The program gets stdin, stdout, stderr and this launcher's pipe, nothing else its starter had open.

    The grader closes what it inherited itself (src/wire/fds.ts); this holds for any other way of starting the
    launcher too. Only where /proc lists the descriptors: a blind close of every number up to the limit can take a
    noticeable time where that limit is a million.
    """
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd > 2 and fd != _FD:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor, closed by now


_close_inherited()


def _report(text):
    if _FD < 0:
        return
    try:
        os.write(_FD, (text + "\n").encode("utf-8", "backslashreplace"))
    except OSError:
        pass  # The grader is gone or closed its end; the program runs on regardless.


def _where(sock):
    name = sock.getsockname()
    if sock.family == getattr(socket, "AF_UNIX", None):
        if isinstance(name, bytes):
            name = name.decode("utf-8", "backslashreplace")
        return "- " + (name or "-")
    return "%s %d" % (name[0], name[1])


_bind = socket.socket.bind
_listen = socket.socket.listen


def bind(self, address):
    _bind(self, address)
    if self.type == socket.SOCK_DGRAM and self.family != getattr(socket, "AF_UNIX", None):
        try:
            _report("bind udp " + _where(self))
        except OSError:
            pass


def listen(self, *backlog):
    _listen(self, *backlog)
    try:
        kind = "unix" if self.family == getattr(socket, "AF_UNIX", None) else "tcp"
        _report("listen %s %s" % (kind, _where(self)))
    except OSError:
        pass


bind.__doc__ = _bind.__doc__
listen.__doc__ = _listen.__doc__
socket.socket.bind = bind
socket.socket.listen = listen

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _report("fork %d" % os.getpid()))


def _trimmed(tb):
    """The traceback without this launcher's frames: where the program started, and inside bind and listen."""
    kept = []
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) != _HERE:
            kept.append(tb)
        tb = tb.tb_next
    for here, after in zip(kept, kept[1:] + [None]):
        here.tb_next = after
    return kept[0] if kept else None


_hook = sys.excepthook


def _clean(value, seen):
    # Chained exceptions too: one raised by bind() and handled may be the context of the one that ends the program.
    while value is not None and id(value) not in seen:
        seen.add(id(value))
        value.__traceback__ = _trimmed(value.__traceback__)
        _clean(value.__cause__, seen)
        value = value.__context__


def _excepthook(kind, value, tb):
    tb = _trimmed(tb)
    if value is not None:
        value = value.with_traceback(tb)
        _clean(value.__cause__, set())
        _clean(value.__context__, set())
    _hook(kind, value, tb)


def _main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: launch.py FILE [ARGS...]\n")
        sys.exit(2)
    path = sys.argv[1]
    sys.argv = sys.argv[1:]
    # As `python FILE` does: the script's own folder (symbolic links resolved) comes first on the import path.
    # (-I and -P leave it out, and so do we.)
    if not (sys.flags.isolated or getattr(sys.flags, "safe_path", False)):
        sys.path[0] = os.path.dirname(os.path.realpath(path))
    with open(path, "rb") as f:
        source = f.read()
    main = type(sys)("__main__")
    main.__dict__.update(
        {
            "__file__": os.path.abspath(path),
            "__cached__": None,
            "__package__": None,
            "__spec__": None,
            "__loader__": SourceFileLoader("__main__", path),
            "__builtins__": __builtins__,
        }
    )
    sys.modules["__main__"] = main
    sys.excepthook = _excepthook
    code = compile(source, path, "exec", dont_inherit=True)
    exec(code, main.__dict__)


_main()
