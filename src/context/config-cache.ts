import { LRUCache } from "lru-cache";
import { systemClock, type Clock } from "../clock.js";
import type { Octokit } from "../github/octokit.js";
import { readRepoConfig, sourceKey, type ResolvedConfig } from "./read-repo-config.js";

export interface ConfigRequest {
  octokit: Octokit;
  /** Undefined for events without an installation. */
  installationId: number | undefined;
  owner: string;
  repo: string;
  file: string;
}

/** `context.config()`'s files, read once per installation, repository and file. */
export interface ConfigCache {
  /** The file's layers, from the cache or read now; concurrent reads share one. */
  read(request: ConfigRequest): Promise<ConfigLayers>;
  /**
   * Drops every entry that looked at one of `paths` in `repo` (found or not), or at any path
   * of `repo` when `paths` is "all". Returns how many were dropped.
   */
  invalidate(repo: string, paths: readonly string[] | "all"): number;
  readonly size: number;
}

export interface ConfigCacheOptions {
  /** Entries kept; the least recently used go first. */
  max?: number;
  /**
   * A safety net for pushes the app never hears of (an `_extends` target in a repository the
   * app is not installed on, or a delivery that failed); pushes drop entries at once.
   */
  ttlMs?: number;
  clock?: Clock;
  /** The reader; tests may count reads through it. */
  readConfig?: typeof readRepoConfig;
}

/** What `context.config()` merges over its defaults: see ResolvedConfig. */
export type ConfigLayers = Pick<ResolvedConfig, "layers" | "found">;

interface Entry {
  promise: Promise<ResolvedConfig>;
  /** Known once the read finished. */
  sources?: readonly string[];
}

export function createConfigCache(options: ConfigCacheOptions = {}): ConfigCache {
  const clock = options.clock ?? systemClock;
  const readConfig = options.readConfig ?? readRepoConfig;
  const entries = new LRUCache<string, Entry>({
    max: options.max ?? 1000,
    ttl: options.ttlMs ?? 3_600_000,
    perf: { now: () => clock.now() },
    // lru-cache otherwise remembers "now" until a timer fires; read the injected clock each time.
    ttlResolution: 0,
  });

  return {
    async read({ octokit, installationId, owner, repo, file }) {
      const key = JSON.stringify([installationId ?? null, `${owner}/${repo}`.toLowerCase(), file]);
      let entry = entries.get(key);
      if (entry === undefined) {
        const created: Entry = { promise: readConfig({ octokit, owner, repo, file }) };
        entry = created;
        entries.set(key, created);
        created.promise.then(
          (resolved) => {
            created.sources = resolved.sources;
          },
          // A failed read (a malformed file, GitHub down) is not kept: the next event retries.
          () => {
            if (entries.peek(key) === created) entries.delete(key);
          },
        );
      }
      const { layers, found } = await entry.promise;
      return { layers, found };
    },
    invalidate(repo, paths) {
      const prefix = `${repo.toLowerCase()}:`;
      const touched =
        paths === "all" ? undefined : new Set(paths.map((path) => sourceKey(repo, path)));
      const stale = [...entries.entries()]
        .filter(
          ([, entry]) =>
            // A read still running may have fetched the old file: drop it too.
            entry.sources === undefined ||
            entry.sources.some((source) =>
              touched === undefined ? source.startsWith(prefix) : touched.has(source),
            ),
        )
        .map(([key]) => key);
      for (const key of stale) entries.delete(key);
      return stale.length;
    },
    get size() {
      return entries.size;
    },
  };
}
