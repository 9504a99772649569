import type { Running } from "../app/run-delivery.js";

/** Waits up to `timeoutMs` for the runs to end; returns those still running then. */
export async function settleWithin(runs: Running[], timeoutMs: number): Promise<Running[]> {
  if (runs.length === 0) return [];
  const done = new Set<Running>();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([
    Promise.all(runs.map((run) => run.outcome.then(() => void done.add(run)))),
    timeout,
  ]);
  clearTimeout(timer);
  return runs.filter((run) => !done.has(run));
}
