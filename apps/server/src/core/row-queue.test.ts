import { describe, expect, it } from 'vitest';
import { RowQueue } from './row-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('RowQueue', () => {
  it('runs one row’s tasks one at a time, in order, other rows alongside, and forgets idle rows', async () => {
    const queue = new RowQueue();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const done = Promise.all([queue.run(1, task('a')), queue.run(1, task('b')), queue.run(2, task('c'))]);
    expect(queue.size).toBe(2);
    expect(await done).toEqual(['a', 'b', 'c']);
    expect(log.indexOf('a end')).toBeLessThan(log.indexOf('b start'));
    expect(log.indexOf('c start')).toBeLessThan(log.indexOf('a end'));
    await tick();
    expect(queue.size).toBe(0);
  });

  it('goes on with the next task after one fails, and hands the failure to its caller', async () => {
    const queue = new RowQueue();
    const failed = queue.run(1, async () => {
      throw new Error('boom');
    });
    const next = queue.run(1, async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});
