export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` (awaited) every 20 ms; rejects naming `what` once `ms` have passed. */
export async function until(
  ms: number,
  what: string,
  condition: () => boolean | Promise<boolean>,
): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error(`${what} took over ${ms} ms`);
    await sleep(20);
  }
}

/** How `promise` settled, or "pending" if it had not within `ms`. */
export async function settledWithin(ms: number, promise: Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<"pending">((resolve) => {
    timer = setTimeout(() => resolve("pending"), ms);
  });
  const settled = promise.then(
    () => "resolved" as const,
    () => "rejected" as const,
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A promise the test opens (or fails) when it chooses: a handler awaits `opened`, so the
 * test decides exactly when it ends, with no sleeping.
 *
 * @example
 * const handler = gate();
 * behave(() => handler.opened);
 * handler.open();
 */
export function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  // A gate failed before anything awaits it must not count as an unhandled rejection.
  opened.catch(() => undefined);
  return { opened, open, fail };
}
