/**
 * Counts by label values, kept in a plain map between scrapes: the hot path pays one map
 * update, and a scrape moves what was counted into prom-client's counter.
 */
export interface Counts {
  add(...labels: string[]): void;
  /** Each label tuple with its count since the last drain; the map is emptied. */
  drain(): [labels: string[], count: number][];
}

export function createCounts(): Counts {
  const counts = new Map<string, number>();
  return {
    add(...labels) {
      const key = labels.join("\n");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    drain() {
      const drained = [...counts].map(([key, count]): [string[], number] => [
        key.split("\n"),
        count,
      ]);
      counts.clear();
      return drained;
    },
  };
}

/** Histogram observations kept between scrapes, at most `max`; past it they are only counted. */
export interface Samples<T> {
  push(sample: T): void;
  drain(): { samples: T[]; dropped: number };
}

export function createSamples<T>(max: number): Samples<T> {
  let samples: T[] = [];
  let dropped = 0;
  return {
    push(sample) {
      if (samples.length >= max) dropped += 1;
      else samples.push(sample);
    },
    drain() {
      const drained = { samples, dropped };
      samples = [];
      dropped = 0;
      return drained;
    },
  };
}
