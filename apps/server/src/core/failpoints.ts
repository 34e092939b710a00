/**
 * Failpoints: named moments where a test can make the process die, to prove what survives a
 * crash exactly there. Off unless `LOCKSTEP_FAILPOINTS` names them (comma-separated), which
 * only the crash tests do; a failpoint that is off costs one Set lookup.
 */
const enabled = new Set((process.env.LOCKSTEP_FAILPOINTS ?? '').split(',').filter(Boolean));

export type Failpoint = 'crash-after-idempotent-commit';

/** Dies at once, as `kill -9` would, when this failpoint is enabled. */
export function failpoint(name: Failpoint): void {
  if (enabled.has(name)) process.kill(process.pid, 'SIGKILL');
}
