import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { createFileJournal } from "../../../src/webhooks/file-journal.js";

const HOUR = 3_600_000;

describe("file journal", () => {
  it("keeps ids across instances (a restart), in a 700 directory and a 600 file", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "journal-")), "data");
    await createFileJournal({ dir }).add("a", 1_000);
    await createFileJournal({ dir }).add("b", 2_000);
    const again = createFileJournal({ dir });
    expect([...(await again.since(0))]).toEqual([
      ["a", 1_000],
      ["b", 2_000],
    ]);
    expect([...(await again.since(1_500))]).toEqual([["b", 2_000]]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "journal.json")).mode & 0o777).toBe(0o600);
  });

  it("drops entries GitHub no longer keeps (older than 3 days) as new ones come", async () => {
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    const journal = createFileJournal({ dir });
    await journal.add("old", 0);
    await journal.add("new", 73 * HOUR);
    expect([...(await journal.since(0)).keys()]).toEqual(["new"]);
  });

  it("reads an unreadable or corrupt journal as empty, and overwrites it whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    const journal = createFileJournal({ dir });
    expect((await journal.since(0)).size).toBe(0);
    await journal.add("a", 5);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "journal.json"), "{not json");
    expect((await journal.since(0)).size).toBe(0);
    await journal.add("b", 6);
    expect(JSON.parse(readFileSync(join(dir, "journal.json"), "utf8"))).toEqual({ b: 6 });
  });
});
