import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { systemClock, type Clock } from "../clock.js";
import type { InstallationToken, TokenStore } from "./token-store.js";

export interface FileTokenStoreOptions {
  /** Created with mode 700 if missing; each token is a file with mode 600 inside it. */
  dir: string;
  clock?: Clock;
}

interface Entry {
  key: string;
  token: InstallationToken;
  /** Milliseconds since the epoch after which the entry is not served. */
  until: number;
}

const SUFFIX = ".json";

// The key holds the API URL and scope; hashing it gives a safe, fixed-length file name.
const fileName = (key: string) => createHash("sha256").update(key).digest("hex") + SUFFIX;

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry?.key === "string" &&
    typeof entry.until === "number" &&
    typeof entry.token?.token === "string"
  );
}

/**
 * Tokens kept on disk, for commands that run once per call (a git credential helper) and
 * would otherwise mint a new token every time. Only the user can read the files; a token is
 * never kept past the TTL it was stored with.
 */
export function createFileTokenStore({
  dir,
  clock = systemClock,
}: FileTokenStoreOptions): TokenStore {
  async function read(file: string): Promise<Entry | undefined> {
    let text: string;
    try {
      text = await readFile(join(dir, file), "utf8");
    } catch {
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (isEntry(parsed)) return parsed;
    } catch {
      // A torn or foreign file is dropped below, like an expired one.
    }
    await remove(file);
    return undefined;
  }

  async function remove(file: string): Promise<void> {
    await unlink(join(dir, file)).catch(() => undefined);
  }

  return {
    async get(key) {
      const file = fileName(key);
      const entry = await read(file);
      if (entry === undefined || entry.key !== key) return undefined;
      if (clock.now() >= entry.until) {
        await remove(file);
        return undefined;
      }
      return entry.token;
    },
    async set(key, token, ttlMs) {
      if (ttlMs <= 0) return;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      const entry: Entry = { key, token, until: clock.now() + ttlMs };
      // Written aside and renamed into place, so a concurrent reader never sees half a file.
      const temporary = join(dir, `.${randomBytes(8).toString("hex")}.tmp`);
      await writeFile(temporary, JSON.stringify(entry), { mode: 0o600, flag: "wx" });
      await rename(temporary, join(dir, fileName(key)));
    },
    async delete(key) {
      await remove(fileName(key));
    },
    async deletePrefix(prefix) {
      const files = await readdir(dir).catch(() => [] as string[]);
      for (const file of files.filter((name) => name.endsWith(SUFFIX))) {
        const entry = await read(file);
        if (entry?.key.startsWith(prefix)) await remove(file);
      }
    },
  };
}
