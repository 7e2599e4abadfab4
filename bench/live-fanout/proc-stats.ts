import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * What the kernel says a process tree costs: CPU from /proc/<pid>/stat
 * (utime + stime of every thread, in clock ticks) and memory from
 * /proc/<pid>/status (VmRSS). A tree is a server with its cluster workers, or
 * the load generators.
 */
const TICKS_PER_SECOND = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (!fields) continue;
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** utime + stime of the processes, in µs. */
export function cpuMicros(pids: number[]): number {
  const { user, system } = cpuTimes(pids);
  return user + system;
}

/** utime and stime of the processes apart, in µs: user is JavaScript and V8, system mostly the TCP stack. */
export function cpuTimes(pids: number[]): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    // After the name: state(0) ppid(1) ... utime(11) stime(12).
    if (fields) {
      user += Number(fields[11]);
      system += Number(fields[12]);
    }
  }
  return { user: (user * 1e6) / TICKS_PER_SECOND, system: (system * 1e6) / TICKS_PER_SECOND };
}

/** Resident memory of the processes, in bytes. */
export function rssBytes(pids: number[]): number {
  let kilobytes = 0;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) kilobytes += Number(match[1]);
    } catch {
      // gone meanwhile
    }
  }
  return kilobytes * 1024;
}

/** Open sockets of a process (how evenly the cluster spread the connections). */
export function socketCount(pid: number): number {
  let sockets = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return 0;
  }
  return sockets;
}

/**
 * The kernel's count of connections dropped because a listen queue was full
 * (TcpExt ListenOverflows / ListenDrops, for the whole network namespace): a
 * dropped SYN is retried by the client after 1 s, then 3 s, 7 s...
 */
export function listenQueueDrops(): { overflows: number; drops: number } {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
  const names = lines[header].split(' ');
  const values = lines[header + 1].split(' ').map(Number);
  return { overflows: values[names.indexOf('ListenOverflows')] ?? NaN, drops: values[names.indexOf('ListenDrops')] ?? NaN };
}

/**
 * CPU time of the whole machine from /proc/stat, in seconds: busy (user,
 * nice, system, irq, softirq — where the kernel receives loopback TCP,
 * charged to no process) and steal (the hypervisor's, a VM's cores are not
 * all its own).
 */
export function machineSeconds(): { busy: number; steal: number } {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq) / TICKS_PER_SECOND, steal: steal / TICKS_PER_SECOND };
}
