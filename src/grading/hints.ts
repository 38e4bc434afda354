// Turning what a Python program printed when it failed into the one thing to try next.
import type { Lang } from './schema/course.js';

interface Rule {
  test: RegExp;
  text: Record<Lang, string>;
  /** Only for programs that bind an AF_UNIX path, where the same error means something else. */
  unix?: boolean;
}

const RULES: Rule[] = [
  {
    test: /EADDRINUSE|Address already in use|\[Errno (98|48|10048)\]/,
    unix: true,
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
    text: {
      en: 'Nothing was listening where your program connected (ECONNREFUSED). Read the host and port from SOCKETLINGS_HOST and SOCKETLINGS_PORT instead of fixing them.',
      'zh-CN':
        '你的程序连接的地址上没有人在监听（ECONNREFUSED）。请从 SOCKETLINGS_HOST 和 SOCKETLINGS_PORT 读取主机和端口，不要写死。',
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
    test: /TimeoutError|socket\.timeout|timed out/,
    text: {
      en: 'A socket call waited longer than its timeout. Check the value you pass to settimeout(), and catch TimeoutError (socket.timeout) where waiting may end.',
      'zh-CN':
        '某个套接字调用等待超过了超时时间。检查传给 settimeout() 的值，并在可能等不到的地方捕获 TimeoutError（socket.timeout）。',
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

/** The hint for the first known error in these lines, if any. `unix`: the program binds an AF_UNIX path. */
export function hintFromOutput(lines: string[], lang: Lang, unix = false): string | undefined {
  const text = lines.join('\n');
  return RULES.find((r) => (r.unix === undefined || r.unix === unix) && r.test.test(text))?.text[lang];
}

export const PEER_CLOSED_HINT: Record<Lang, string> = {
  en: "recv() returning b'' means the other side closed the connection: stop reading then, and never treat b'' as data.",
  'zh-CN': "recv() 返回 b'' 表示对方关闭了连接：此时应停止读取，不要把 b'' 当成数据。",
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
