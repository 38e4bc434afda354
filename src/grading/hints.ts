// Turning what a Python program printed when it failed into the one thing to try next.
import type { Lang } from './schema/course.js';

/** What the grader knows of the run, beyond the program's last words: the same error can mean different things. */
export interface HintFacts {
  /** The program binds an AF_UNIX path. */
  unixServer: boolean;
  /** The grader reset a connection on purpose (a `reset` step), as a client that crashes does. */
  graderReset: boolean;
  /** The grader's TLS client refused the program's handshake and dropped the connection. */
  tlsRefused: boolean;
  /**
   * Refused connections are part of the exercise: a port where nobody listens (`closed` or `open_if`: connect_ex),
   * or servers that listen on one family only (`one_family`: the other address is refused, and the program must
   * try the next).
   */
  refusals: 'none' | 'closed-port' | 'one-family';
}

interface Rule {
  test: RegExp;
  /** Absent: the rule gives no hint at all (the step's or the check's own hint says it better). */
  text?: Record<Lang, string>;
  /** Only when these facts hold. */
  when?: (f: HintFacts) => boolean;
}

const RESET = /ConnectionResetError|ECONNRESET|\[Errno 104\]|BrokenPipeError|EPIPE|\[Errno 32\]/;

const RULES: Rule[] = [
  {
    test: /EADDRINUSE|Address already in use|\[Errno (98|48|10048)\]/,
    when: (f) => f.unixServer,
    text: {
      en: 'A file is already at the socket path (EADDRINUSE), usually one left by an earlier run: closing a socket does not remove its file. Before bind(), remove it with os.unlink(PATH), ignoring FileNotFoundError.',
      'zh-CN':
        '套接字路径上已经有一个文件（EADDRINUSE），通常是之前某次运行留下的：关闭套接字并不会删除它的文件。在 bind() 之前用 os.unlink(PATH) 删除它，并忽略 FileNotFoundError。',
    },
  },
  {
    test: /EADDRINUSE|Address already in use|\[Errno (98|48|10048)\]/,
    text: {
      en: 'The address is still taken (EADDRINUSE). Bind to the port in SOCKETLINGS_PORT, and set SO_REUSEADDR before bind(): s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1).',
      'zh-CN':
        '地址仍被占用（EADDRINUSE）。请绑定 SOCKETLINGS_PORT 给出的端口，并在 bind() 之前设置 SO_REUSEADDR：s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)。',
    },
  },
  {
    test: /ConnectionRefusedError|ECONNREFUSED|\[Errno 111\]/,
    when: (f) => f.refusals === 'closed-port',
    text: {
      en: 'A plain connect() raises ConnectionRefusedError where nothing listens. Here that is expected: connect_ex() returns the error number instead of raising, so use connect_ex() and print what it returns.',
      'zh-CN':
        '在没有程序监听的地方，普通的 connect() 会抛出 ConnectionRefusedError。在这里这是预料之中的：connect_ex() 不抛出异常，而是返回错误编号，所以请用 connect_ex() 并打印它的返回值。',
    },
  },
  // One address of a name refused is the point of the exercise: the step says how to try the next.
  { test: /ConnectionRefusedError|ECONNREFUSED|\[Errno 111\]/, when: (f) => f.refusals === 'one-family' },
  {
    test: /ConnectionRefusedError|ECONNREFUSED|\[Errno 111\]/,
    text: {
      en: 'Nothing was listening where your program connected (ECONNREFUSED). Read the host and port from SOCKETLINGS_HOST and SOCKETLINGS_PORT instead of fixing them.',
      'zh-CN':
        '你的程序连接的地址上没有人在监听（ECONNREFUSED）。请从 SOCKETLINGS_HOST 和 SOCKETLINGS_PORT 读取主机和端口，不要写死。',
    },
  },
  // The reset is how the grader's TLS client left: the step says what was wrong with the handshake.
  { test: RESET, when: (f) => f.tlsRefused },
  {
    test: RESET,
    when: (f) => f.graderReset,
    text: {
      en: 'The grader reset a connection on purpose, as a client that crashes does: from then on recv() on it raises ConnectionResetError, and sendall() BrokenPipeError or ConnectionResetError, whichever your program was doing. Catch OSError around all the work for one connection (reading and writing), close that connection, and go on serving the others.',
      'zh-CN':
        '评分器故意复位了一个连接，就像崩溃的客户端那样：此后对它调用 recv() 会抛出 ConnectionResetError，调用 sendall() 会抛出 BrokenPipeError 或 ConnectionResetError，取决于你的程序当时在做什么。把一个连接的全部处理（读和写）都包在 except OSError 里，关闭这个连接，继续服务其他连接。',
    },
  },
  {
    test: /BrokenPipeError|EPIPE|\[Errno 32\]/,
    text: {
      en: 'Your program wrote to a connection the other side had already closed (BrokenPipe). Stop writing once recv() returns b"".',
      'zh-CN': '你的程序向对方已经关闭的连接写数据（BrokenPipe）。recv() 返回 b"" 之后就不要再写了。',
    },
  },
  {
    test: /ConnectionResetError|ECONNRESET|\[Errno 104\]/,
    text: {
      en: 'The other side reset the connection. It closed while data was still unread; make sure both sides read everything before closing.',
      'zh-CN': '对方重置了连接：关闭时还有数据没读完。请确保双方在关闭前读完全部数据。',
    },
  },
  {
    // A server's accept() that timed out: the listening socket got a timeout meant for its connections.
    test: /\.accept\(\)[^\n]*\n(?:[^\n]*\n)*?[ \t]*(?:TimeoutError|socket\.timeout)/,
    text: {
      en: 'accept() raised TimeoutError: the listening socket has a timeout, from socket.setdefaulttimeout() or its own settimeout(), so the server gives up once no client comes for that long. Give timeouts to the accepted connections only (conn.settimeout(...)); accept() should wait as long as it takes.',
      'zh-CN':
        'accept() 抛出了 TimeoutError：监听套接字带着超时（来自 socket.setdefaulttimeout() 或它自己的 settimeout()），所以一段时间没有客户端来，服务器就放弃了。只给接受到的连接设超时（conn.settimeout(...)）；accept() 应当一直等下去。',
    },
  },
  {
    test: /TimeoutError|socket\.timeout|timed out/,
    text: {
      en: 'A socket call waited longer than its timeout. Check the value you pass to settimeout(), and catch TimeoutError (socket.timeout) where waiting may end.',
      'zh-CN':
        '某个套接字调用等待超过了超时时间。检查传给 settimeout() 的值，并在可能等不到的地方捕获 TimeoutError（socket.timeout）。',
    },
  },
  {
    // sendall() on a non-blocking socket: the traceback shows the call, then the error it raised part-way.
    test: /sendall\([^\n]*\n(?:[ \t]*[~^]+[ \t]*\n)*[ \t]*BlockingIOError/,
    text: {
      en: 'sendall() on a non-blocking socket raises BlockingIOError as soon as the kernel takes no more, and you cannot tell how much it sent. Use send(), which returns how many bytes it took; keep the rest and send it when the selector reports the socket writable.',
      'zh-CN':
        '在非阻塞套接字上，一旦内核不再接收，sendall() 就会抛出 BlockingIOError，而你无法知道它已经发出了多少。请用 send()，它会返回接收了多少字节；把剩下的留着，等选择器报告这个套接字可写时再发送。',
    },
  },
  {
    test: /BlockingIOError|EAGAIN|EWOULDBLOCK|\[Errno 11\]/,
    text: {
      en: 'A non-blocking socket had nothing ready (BlockingIOError). That is normal: catch it and try again later, or wait with selectors.',
      'zh-CN': '非阻塞套接字暂时没有数据（BlockingIOError）。这很正常：捕获它稍后再试，或用 selectors 等待。',
    },
  },
  {
    test: /a bytes-like object is required, not 'str'/,
    text: {
      en: "Sockets carry bytes, not str. Encode before sending: s.sendall('text'.encode()), and decode what recv() returns.",
      'zh-CN':
        "套接字传输的是 bytes 而不是 str。发送前先编码：s.sendall('text'.encode())，收到的数据再 decode()。",
    },
  },
  {
    test: /SyntaxError|IndentationError/,
    text: {
      en: 'Python could not read your file. Fix the line the traceback points at.',
      'zh-CN': 'Python 无法解析你的文件。请修正回溯信息指出的那一行。',
    },
  },
];

/** The hint for the first known error in these lines that applies to this run, if any. */
export function hintFromOutput(lines: string[], lang: Lang, facts: HintFacts): string | undefined {
  const text = lines.join('\n');
  return RULES.find((r) => (r.when === undefined || r.when(facts)) && r.test.test(text))?.text?.[lang];
}

export const PEER_CLOSED_HINT: Record<Lang, string> = {
  en: "recv() returning b'' means the other side closed the connection: stop reading then, and never treat b'' as data.",
  'zh-CN': "recv() 返回 b'' 表示对方关闭了连接：此时应停止读取，不要把 b'' 当成数据。",
};

export const EMPTY_DATAGRAM_HINT: Record<Lang, string> = {
  en: 'UDP has no connections, so an empty result is not a close: nothing arrived. A UDP socket that connect()ed to one address takes datagrams from that address only; to hear answers from anywhere, do not connect() it: sendto() the question and recvfrom() the answers.',
  'zh-CN':
    'UDP 没有连接，所以空的结果并不表示关闭：只是什么都没收到。一个 connect() 到某个地址的 UDP 套接字只接收来自那个地址的数据报；要收到来自任何地方的应答，就不要 connect() 它：用 sendto() 发出问题，用 recvfrom() 接收应答。',
};

/** Make Python tracebacks point at workspace-relative files, as the learner sees them in their editor. */
export function relativeTraceback(line: string, cwd: string): string {
  if (!cwd) return line;
  // Windows paths end their folders with a backslash (Python prints them so), others with a slash.
  const base = cwd.replace(/[\\/]+$/, '');
  let out = line;
  for (const sep of ['/', '\\']) out = out.split(`File "${base}${sep}`).join('File "');
  return out;
}
