// `socketlings dev new DIR`: a course pack with one worked exercise, for an instructor to copy from. Its grader
// uses most steps, and lists the rest in comments, so the format is learnt from a file that really runs.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

const FILES: Record<string, string> = {
  'lessons/course.yaml': `# A socketlings course pack. Every path is relative to this pack's folder.
format: 1
id: my-course
version: 0.1.0
title: { en: My socket course, zh-CN: 我的套接字课程 }
languages: [en, zh-CN]
lessons:
  - id: greetings
    dir: lessons/01-greetings
    exercises:
      - { id: greeter, dir: lessons/01-greetings/greeter, file: greeter.py }
`,
  'lessons/01-greetings/en.md': `---
title: Greetings
---
# Greetings

A server reads a name, one line, and answers \`HELLO <name>\`. Several clients may come at once.
`,
  'lessons/01-greetings/zh-CN.md': `---
title: 问候
---
# 问候

服务器读取一行名字，回答 \`HELLO <名字>\`。可能有多个客户端同时到来。
`,
  'lessons/01-greetings/greeter/en.md': `---
title: A greeting server
---
# greeter

Listen on \`SOCKETLINGS_HOST\` / \`SOCKETLINGS_PORT\`. For every client, read one line (a name), answer
\`HELLO <name>\\n\`, print \`greeted <name>\` on stdout, and close that connection. Serve clients at the same time.

## What the grader does
1. It waits up to 5 s until your program listens.
2. A client sends a random name in pieces of 1 to 3 bytes and expects \`HELLO <name>\` within 3 s, then the
   close, with nothing more sent.
3. It expects \`greeted <name>\` on stdout within 3 s.
4. Three clients connect, then send their names in reverse order; each expects its own greeting. They wait for each
   other before closing, so a server that serves one client at a time cannot pass.
5. Your program must still be running.
`,
  'lessons/01-greetings/greeter/zh-CN.md': `---
title: 问候服务器
---
# greeter

在 \`SOCKETLINGS_HOST\` / \`SOCKETLINGS_PORT\` 上监听。对每个客户端：读取一行（名字），回答 \`HELLO <名字>\\n\`，在
stdout 打印 \`greeted <名字>\`，然后关闭该连接。要能同时服务多个客户端。

## 评分器会做什么
1. 最多等待 5 秒，直到你的程序开始监听。
2. 一个客户端把随机名字拆成每次 1 到 3 字节发送，期望 3 秒内收到 \`HELLO <名字>\`，然后连接被关闭，且没有多余的内容。
3. 期望 3 秒内在 stdout 看到 \`greeted <名字>\`。
4. 三个客户端先连接，再按相反顺序发送名字；每个都期望收到自己的问候。它们互相等待后才关闭，所以一次只服务一个客户端的服务器无法通过。
5. 你的程序必须仍在运行。
`,
  'lessons/01-greetings/greeter/hints.yaml': `en:
  - "Read until you have a whole line: one recv() may hold only part of the name."
  - "Serve each connection in its own thread: threading.Thread(target=serve, args=(conn,)).start()."
zh-CN:
  - "一直读到完整的一行：一次 recv() 可能只收到名字的一部分。"
  - "每个连接用一个线程服务：threading.Thread(target=serve, args=(conn,)).start()。"
`,
  'lessons/01-greetings/greeter/greeter.py': `import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT); for each client read a line, answer HELLO <name>, print greeted <name>, close.
`,
  'lessons/01-greetings/greeter/solution/greeter.py': `import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))


def serve(conn):
    with conn:
        data = b""
        while b"\\n" not in data:
            chunk = conn.recv(1024)
            if not chunk:
                return
            data += chunk
        name = data.split(b"\\n", 1)[0].decode("utf-8")
        conn.sendall(f"HELLO {name}\\n".encode("utf-8"))
        print(f"greeted {name}")


with socket.create_server((HOST, PORT), reuse_port=False) as server:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
`,
  'graders/greeter.yaml': `# The grader for greeter. The full format, every field commented, is src/grading/schema/grader*.ts in socketlings.
format: 1
role: server                     # the program is a server; the peers are its clients
endpoints:
  main: { transport: tcp, owner: program }   # handed over as SOCKETLINGS_HOST / SOCKETLINGS_PORT
vars:
  name: { kind: word, length: 7 }            # random per --seed, so a hard-coded answer fails
checks:
  - id: listens
    title: { en: listens on the given port, zh-CN: 在给定端口上监听 }
    steps:
      - { do: start, ready: main, within: 5 }
  - id: greets
    title: { en: greets a client by name, zh-CN: 按名字问候客户端 }
    hint: { en: Read until the newline before answering., zh-CN: 读到换行符之后再回答。 }
    steps:
      - { do: connect, as: c1 }
      - { do: mark, name: asked }
      - do: send
        conn: c1
        data: "{{name}}\\n"
        split: { min: 1, max: 3, delay_ms: [0, 5] }   # a slow client: pieces of 1 to 3 bytes
      - { do: expect, conn: c1, line: "HELLO {{name}}", within: 3 }
      - { do: expect, conn: c1, eof: true, within: 3 }
      - { do: expect_stdout, regex: "^greeted {{name}}$", since: asked, not_before: 0, within: 3 }
  - id: many-at-once
    title: { en: serves three clients at once, zh-CN: 同时服务三个客户端 }
    steps:
      - do: group
        as: guest
        count: 3
        order: reverse              # the last to connect speaks first
        steps:
          - { do: send, conn: guest, data: "guest{{i}}\\n" }
          - { do: expect, conn: guest, line: "HELLO guest{{i}}", within: 3 }
          - do: barrier             # nobody closes until all were greeted
            explain: { en: a server that handles one client at a time cannot greet the others meanwhile, zh-CN: 一次只处理一个客户端的服务器无法同时问候其他客户端 }
          - { do: close, conn: guest }
      - { do: expect_running, for: 0.2 }

# Other steps, for other kinds of exercises:
#   - { do: accept, as: c1, within: 5 }                       # the program is a client: take its connection
#   - { do: shutdown, conn: c1 }                              # half-close: no more data from the peer
#   - { do: expect, conn: c1, bytes: { var: blob } }          # exact bytes; also regex, json, length, sha256
#   - { do: expect, conn: c1, closed: true, within: 1 }       # closed for good: more data must meet a reset
#   - { do: hold, conn: c1 }                                  # stop reading; release (bytes: N) reads again
#   - { do: wait_sent, conn: c1 }                             # until a background send is taken, or stalls
#   - { do: reset, conn: c1 }                                 # abort with RST, as a crashed client does
#   - { do: expect, conn: c1, http_response: { status: 200 } } # one HTTP/1.1 message; also http_request
#   - { do: exchange, conn: c1, count: 20, ask: "go {{token}}\\n", answer: "{{token}}\\n", at_least: 10 }  # timed
#   - { do: sendto, from: s1, data: "PING" }                  # UDP: a peer socket named s1 sends to the program
#   - { do: expect_datagram, on: s1, line: PONG }             # one whole datagram back on s1
#   - { do: lossy, on: main, drop: 0.3, duplicate: 0.1 }      # disturb a peer UDP socket, seeded
#   - { do: respond, on: main, match: "^SEQ (\\\\d+)", reply: "ACK $1", stale_first: "ACK 0" }  # resends needed
#   - { do: expect_received, on: main, values: ["1", "2"] }
#   - { do: signal, signal: SIGTERM }                          # then: expect_exit, expect_path
#   - { do: expect_exit, code: 0, within: 3 }
#   - { do: expect_path, path: "{{main.path}}", exists: false }
#   - { do: pause, ms: 200 }                                  # a peer that is slow on purpose
`,
};

export function scaffoldPack(dir: string, cwd: string): string[] {
  const root = resolve(cwd, dir);
  if (existsSync(root) && readdirSync(root).length > 0)
    throw new UserError(
      `${dir} already exists and is not empty; socketlings never overwrites files`,
      'choose another folder',
    );
  for (const [rel, text] of Object.entries(FILES)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return Object.keys(FILES);
}
