import { describe, expect, it } from "@jest/globals";
import { createManualClock } from "hookwright/testing";
import { createConfigCache, type ConfigRequest } from "../../../src/context/config-cache.js";
import type {
  ReadRepoConfigOptions,
  ResolvedConfig,
} from "../../../src/context/read-repo-config.js";
import type { Octokit } from "../../../src/github/octokit.js";

/** A reader that answers from `files` and counts its reads; `gate` holds reads until opened. */
function setup(options: { max?: number; ttlMs?: number } = {}) {
  const reads: string[] = [];
  const results = new Map<string, ResolvedConfig | Error>();
  let gate: Promise<void> = Promise.resolve();
  const clock = createManualClock();
  const cache = createConfigCache({
    ...options,
    clock,
    async readConfig({ owner, repo, file }: ReadRepoConfigOptions) {
      reads.push(`${owner}/${repo}:${file}`);
      await gate;
      const result = results.get(`${owner}/${repo}:${file}`) ?? {
        layers: [{ version: reads.length }],
        found: true,
        files: [],
        sources: [`${`${owner}/${repo}`.toLowerCase()}:.github/${file}`],
      };
      if (result instanceof Error) throw result;
      return result;
    },
  });
  const request = (repo = "hello", file = "bot.yml", installationId = 1): ConfigRequest => ({
    octokit: {} as Octokit,
    installationId,
    owner: "octo",
    repo,
    file,
  });
  return {
    cache,
    reads,
    results,
    clock,
    request,
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => open();
    },
  };
}

const layered = (version: number) => ({ layers: [{ version }], found: true });

describe("createConfigCache", () => {
  it("reads a file once per installation, repository and file", async () => {
    const { cache, reads, request } = setup();
    await expect(cache.read(request())).resolves.toEqual(layered(1));
    await expect(cache.read(request())).resolves.toEqual(layered(1));
    await cache.read(request("HELLO"));
    expect(reads).toHaveLength(1);
    await cache.read(request("hello", "other.yml"));
    await cache.read(request("hello", "bot.yml", 2));
    await cache.read(request("world"));
    expect(reads).toHaveLength(4);
    expect(cache.size).toBe(4);
  });

  it("shares one read between concurrent requests", async () => {
    const { cache, reads, request, hold } = setup();
    const open = hold();
    const both = Promise.all([cache.read(request()), cache.read(request())]);
    open();
    await expect(both).resolves.toEqual([layered(1), layered(1)]);
    expect(reads).toHaveLength(1);
  });

  it("drops the entries that looked at a pushed path, found or not, and only those", async () => {
    const { cache, reads, results, request } = setup();
    results.set("octo/hello:bot.yml", {
      layers: [{ shared: true }],
      found: true,
      files: [],
      sources: ["octo/hello:.github/bot.yml", "octo/.github:.github/bot.yml"],
    });
    await cache.read(request());
    await cache.read(request("world"));
    expect(cache.invalidate("octo/hello", ["README.md", ".github/other.yml"])).toBe(0);
    expect(cache.invalidate("Octo/.github", [".github/bot.yml"])).toBe(1);
    await cache.read(request());
    await cache.read(request("world"));
    expect(reads).toEqual(["octo/hello:bot.yml", "octo/world:bot.yml", "octo/hello:bot.yml"]);
  });

  it('drops everything read from a repository on "all"', async () => {
    const { cache, request } = setup();
    await cache.read(request("hello", "a.yml"));
    await cache.read(request("hello", "b.yml"));
    await cache.read(request("world", "a.yml"));
    expect(cache.invalidate("octo/hello", "all")).toBe(2);
    expect(cache.size).toBe(1);
  });

  it("drops a read still running when a push arrives, so later events read again", async () => {
    const { cache, reads, request, hold } = setup();
    const open = hold();
    const running = cache.read(request());
    expect(cache.invalidate("octo/hello", [".github/bot.yml"])).toBe(1);
    open();
    await running;
    await cache.read(request());
    expect(reads).toHaveLength(2);
  });

  it("keeps no failed read", async () => {
    const { cache, reads, results, request } = setup();
    results.set("octo/hello:bot.yml", new Error("GitHub is down"));
    await expect(cache.read(request())).rejects.toThrow("GitHub is down");
    results.delete("octo/hello:bot.yml");
    await expect(cache.read(request())).resolves.toEqual(layered(2));
    expect(reads).toHaveLength(2);
  });

  it("reads again after the time to live, by the injected clock", async () => {
    const { cache, reads, clock, request } = setup({ ttlMs: 60_000 });
    await cache.read(request());
    clock.advance(59_000);
    await cache.read(request());
    expect(reads).toHaveLength(1);
    clock.advance(2_000);
    await cache.read(request());
    expect(reads).toHaveLength(2);
  });

  it("keeps at most `max` entries, dropping the least recently used", async () => {
    const { cache, reads, request } = setup({ max: 2 });
    await cache.read(request("a"));
    await cache.read(request("b"));
    await cache.read(request("a"));
    await cache.read(request("c"));
    expect(cache.size).toBe(2);
    await cache.read(request("a"));
    expect(reads).toEqual(["octo/a:bot.yml", "octo/b:bot.yml", "octo/c:bot.yml"]);
    await cache.read(request("b"));
    expect(reads).toHaveLength(4);
  });
});
