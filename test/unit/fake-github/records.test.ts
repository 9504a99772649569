import { describe, expect, it } from "@jest/globals";
import { createRecordStore, fakeSha } from "../../../src/fake-github/records.js";
import { createManualClock } from "../../helpers/manual-clock.js";

describe("fake GitHub records", () => {
  it("numbers issues per repository, case-insensitively, after the highest used", () => {
    const records = createRecordStore(createManualClock());
    expect(records.nextNumber("o/r")).toBe(1);
    records.issues.push({
      repo: "O/R",
      number: 4,
      title: "t",
      body: null,
      state: "open",
      user: "u",
      assignees: [],
      createdAt: 0,
      updatedAt: 0,
      closedAt: null,
    });
    expect(records.nextNumber("o/r")).toBe(5);
    expect(records.nextNumber("o/other")).toBe(1);
    expect(records.issue("o/r", 4)?.title).toBe("t");
  });

  it("keeps one label per name whatever its case, and removes it", () => {
    const records = createRecordStore(createManualClock());
    const bug = records.ensureLabel("o/r", "Bug");
    expect(records.ensureLabel("O/R", "bug")).toBe(bug);
    expect(records.removeLabel("o/r", "BUG")).toBe(true);
    expect(records.removeLabel("o/r", "bug")).toBe(false);
    expect(records.labelsOf("o/r")).toEqual([]);
  });

  it("gives commits stable shas and ids that count per kind", () => {
    const records = createRecordStore(createManualClock());
    records.setCommits("o/r", [{ message: "a" }, { message: "b", sha: "f".repeat(40) }]);
    const [first, second] = records.commitsOf("O/R");
    expect(first?.sha).toBe(fakeSha("o/r", "0", "a"));
    expect(second?.sha).toBe("f".repeat(40));
    expect([
      records.nextId("release"),
      records.nextId("release"),
      records.nextId("check_run"),
    ]).toEqual([1, 2, 1]);
  });
});
