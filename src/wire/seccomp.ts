// A seccomp filter for every sandboxed program (bwrap --seccomp FD): it refuses the few system calls that make
// memory no per-process limit sees. Where no memory cgroup can be made (a grader that is not root on cgroup v1),
// a program is held by RLIMIT_AS and the sandbox's sized tmpfs alone, and these go around both:
// - memfd_create: a file in the kernel's own tmpfs, not the sandbox's, grown with ftruncate or fallocate and held
//   by its descriptor without being mapped: 1024 descriptors × RLIMIT_FSIZE (16 MiB) per process;
// - shmget: a System V shared memory segment, touched once while attached and kept after shmdt, as long as the
//   IPC namespace lives (shmmax and shmall are practically unlimited);
// - msgget: System V message queues, 16 KiB each, 32000 of them per IPC namespace.
// Each is refused with ENOSYS, as a kernel without it would, so a program that can do without falls back. No
// exercise uses any of them, and a cgroup, where there is one, would count all three anyway; the filter is the
// same everywhere so that a program never passes on one machine and fails on another.
//
// Refused as well, because they open large parts of the kernel to a program that needs none of them (no exercise
// does): io_uring (io_uring_setup, _enter, _register: a second way to do any I/O, past filters on the calls
// themselves, and a frequent source of kernel bugs), the kernel's keyrings (add_key, request_key, keyctl: kept by
// the kernel beyond the program, per user), bpf, perf_event_open, and userfaultfd (used to hold the kernel still at
// a chosen moment while exploiting a race).
//
// Calls of another ABI than the process's own (32-bit int 0x80 on x86-64, x32) are refused too: their numbers
// differ, and a filter that checked only the native ones would let them through.
//
// The program is classic BPF over `struct seccomp_data` { int nr; u32 arch; u64 ip; u64 args[6]; }, in the
// kernel's `struct sock_filter` layout { u16 code; u8 jt; u8 jf; u32 k; }, native byte order.
import { endianness } from 'node:os';

const LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JGE_K = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const RET_K = 0x06; // BPF_RET | BPF_K

const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const ENOSYS = 38;

/** The system calls refused, and the ABI each architecture's numbers belong to (linux/audit.h). */
export const SECCOMP_ARCHES = {
  x64: {
    audit: 0xc000003e,
    calls: {
      memfd_create: 319,
      shmget: 29,
      msgget: 68,
      io_uring_setup: 425,
      io_uring_enter: 426,
      io_uring_register: 427,
      add_key: 248,
      request_key: 249,
      keyctl: 250,
      bpf: 321,
      perf_event_open: 298,
      userfaultfd: 323,
    },
    /** x32 calls carry this bit (__X32_SYSCALL_BIT): another ABI, refused whole. */
    foreignFrom: 0x40000000,
  },
  arm64: {
    audit: 0xc00000b7,
    calls: {
      memfd_create: 279,
      shmget: 194,
      msgget: 186,
      io_uring_setup: 425,
      io_uring_enter: 426,
      io_uring_register: 427,
      add_key: 217,
      request_key: 218,
      keyctl: 219,
      bpf: 280,
      perf_event_open: 241,
      userfaultfd: 282,
    },
    foreignFrom: undefined,
  },
} as const;

export type SeccompArch = keyof typeof SECCOMP_ARCHES;

type Insn = [code: number, jt: number, jf: number, k: number];

/** The filter's instructions for an architecture, before they are laid out as bytes. */
export function seccompProgram(arch: SeccompArch): Insn[] {
  const a = SECCOMP_ARCHES[arch];
  const calls = Object.values(a.calls);
  const body: Insn[] = [];
  // Jumps are relative to the next instruction; every refusal lands on the last one.
  const deny = (at: number, total: number) => total - 1 - (at + 1);
  const length = 2 + 1 + (a.foreignFrom !== undefined ? 1 : 0) + calls.length + 2;
  body.push([LD_W_ABS, 0, 0, 4]); // arch
  body.push([JEQ_K, 0, deny(1, length), a.audit]);
  body.push([LD_W_ABS, 0, 0, 0]); // nr
  if (a.foreignFrom !== undefined) body.push([JGE_K, deny(body.length, length), 0, a.foreignFrom]);
  for (const nr of calls) body.push([JEQ_K, deny(body.length, length), 0, nr]);
  body.push([RET_K, 0, 0, RET_ALLOW]);
  body.push([RET_K, 0, 0, RET_ERRNO | ENOSYS]);
  return body;
}

/** The filter as bwrap reads it from a descriptor, for this machine; undefined where there is none for it. */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  if (!(arch in SECCOMP_ARCHES)) return undefined;
  const insns = seccompProgram(arch as SeccompArch);
  const out = Buffer.alloc(insns.length * 8);
  const le = endianness() === 'LE';
  insns.forEach(([code, jt, jf, k], i) => {
    const at = i * 8;
    if (le) {
      out.writeUInt16LE(code, at);
      out.writeUInt32LE(k >>> 0, at + 4);
    } else {
      out.writeUInt16BE(code, at);
      out.writeUInt32BE(k >>> 0, at + 4);
    }
    out.writeUInt8(jt, at + 2);
    out.writeUInt8(jf, at + 3);
  });
  return out;
}

/** The descriptor a program's bwrap reads the filter from (0 to 2 are its stdio, 3 the launcher's pipe). */
export const SECCOMP_FD = 4;
