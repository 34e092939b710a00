import { readFileSync } from 'node:fs';
import { LOCAL_POSTGRESQL_URL } from '@lockstep/db';

/** The PostgreSQL server benchmarks make their throwaway databases on (`BENCH_POSTGRES_URL`). */
export const BENCH_POSTGRESQL_SERVER = process.env.BENCH_POSTGRES_URL ?? LOCAL_POSTGRESQL_URL;

/** Resident memory of a process, in bytes, from `/proc/<pid>/status`. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Clock ticks per second of `/proc/<pid>/stat` times; 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in microseconds, from `/proc/<pid>/stat`. */
export function cpuMicros(pid: number): number {
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}
