/**
 * Runs tasks for the same row one after another within this process, and tasks for other rows
 * freely. Item writes of one row go through it, so on one instance they queue rather than race
 * and retry (a hot row would otherwise cost each writer a read and a failed write per rival).
 * Only rows with a write in flight are held, so it stays as small as the current load.
 */
export class RowQueue {
  private readonly tails = new Map<number, Promise<void>>();

  run<T>(id: number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return result;
  }

  /** Rows with a write queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
