/** What the rate-limit gauge reports: one value per label. */
export interface InstallationSample {
  /** The installation id, or "other" for every installation outside the N most active. */
  installation: string;
  remaining: number;
}

/**
 * The rate limit remaining per installation, labelled for the N most active installations
 * only: an app may be installed on tens of thousands of accounts, and one label value each
 * would grow Prometheus's series without bound. The rest are folded into `other`, holding
 * their lowest remaining (the one closest to being refused).
 */
export interface TopInstallations {
  /** A call of the installation answered with `remaining` (x-ratelimit-remaining). */
  note(installation: number, remaining: number): void;
  /** What was noted since the last report, the top N by calls; activity then halves. */
  report(): InstallationSample[];
}

interface Tracked {
  calls: number;
  remaining: number;
  /** Noted since the last report: an installation not called since is not reported. */
  fresh: boolean;
}

/**
 * Counts calls per installation in at most `4 × top` (at least 64) entries. When full, the
 * least active entry gives way and the newcomer inherits its count plus one ("space-saving",
 * Metwally et al. 2005): a busy installation cannot be pushed out by a stream of one-off ones,
 * and memory stays bounded. Halving counts at each report lets yesterday's busiest fade.
 */
export function createTopInstallations(top: number): TopInstallations {
  const capacity = Math.max(64, top * 4);
  const tracked = new Map<number, Tracked>();

  function evictLeastActive(): number {
    let least: [number, Tracked] | undefined;
    for (const entry of tracked) if (!least || entry[1].calls < least[1].calls) least = entry;
    tracked.delete(least![0]);
    return least![1].calls;
  }

  return {
    note(installation, remaining) {
      const known = tracked.get(installation);
      if (known) {
        known.calls += 1;
        known.remaining = remaining;
        known.fresh = true;
        return;
      }
      const inherited = tracked.size >= capacity ? evictLeastActive() : 0;
      tracked.set(installation, { calls: inherited + 1, remaining, fresh: true });
    },
    report() {
      const fresh = [...tracked].filter(([, entry]) => entry.fresh);
      fresh.sort(([a, x], [b, y]) => y.calls - x.calls || a - b);
      const samples: InstallationSample[] = fresh
        .slice(0, top)
        .map(([id, entry]) => ({ installation: String(id), remaining: entry.remaining }));
      const rest = fresh.slice(top);
      if (rest.length > 0) {
        const lowest = Math.min(...rest.map(([, entry]) => entry.remaining));
        samples.push({ installation: "other", remaining: lowest });
      }
      for (const [id, entry] of tracked) {
        entry.calls = Math.floor(entry.calls / 2);
        entry.fresh = false;
        if (entry.calls === 0) tracked.delete(id);
      }
      return samples;
    },
  };
}
