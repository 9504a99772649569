import { describe, expect, it } from "@jest/globals";
import { createTopInstallations } from "../../../src/server/top-installations.js";

const noteTimes = (top: ReturnType<typeof createTopInstallations>, id: number, times: number) => {
  for (let i = 0; i < times; i += 1) top.note(id, 5000 - i);
};

describe("createTopInstallations", () => {
  it("reports N+1 installations as the N most active and one other", () => {
    const top = createTopInstallations(3);
    noteTimes(top, 10, 9);
    noteTimes(top, 20, 7);
    noteTimes(top, 30, 5);
    noteTimes(top, 40, 2);
    expect(top.report()).toEqual([
      { installation: "10", remaining: 4992 },
      { installation: "20", remaining: 4994 },
      { installation: "30", remaining: 4996 },
      { installation: "other", remaining: 4999 },
    ]);
  });

  it("with N = 0, reports everything as other", () => {
    const top = createTopInstallations(0);
    top.note(1, 10);
    top.note(2, 3);
    expect(top.report()).toEqual([{ installation: "other", remaining: 3 }]);
  });

  it("keeps a busy installation labelled through a stream of one-off ones, in bounded memory", () => {
    const top = createTopInstallations(1);
    // One call in ten is installation 7's, among 10,000 installations seen once each.
    for (let id = 1000; id < 11_000; id += 1) {
      top.note(id, 1);
      if (id % 10 === 0) top.note(7, id);
    }
    expect(top.report()).toEqual([
      { installation: "7", remaining: 10_990 },
      { installation: "other", remaining: 1 },
    ]);
  });

  it("reports only installations called since the last report, and forgets idle ones", () => {
    const top = createTopInstallations(2);
    noteTimes(top, 1, 4);
    top.note(2, 100);
    expect(top.report().map((sample) => sample.installation)).toEqual(["1", "2"]);
    top.note(3, 50);
    expect(top.report()).toEqual([{ installation: "3", remaining: 50 }]);
    // Activity halves at each report: 1 had 4 calls, then 2, then 1; 2 is gone after one.
    top.note(2, 90);
    top.note(2, 80);
    top.note(1, 10);
    expect(top.report().map((sample) => sample.installation)).toEqual(["1", "2"]);
  });
});
