import { describe, expect, it } from "@jest/globals";
import { createMemoryDeliveryRecords } from "../../../src/webhooks/delivery-records.js";

describe("createMemoryDeliveryRecords", () => {
  it("starts a new delivery and reports it running until it finishes", async () => {
    const records = createMemoryDeliveryRecords();
    expect(await records.begin("a")).toBe("started");
    expect(await records.begin("a")).toBe("running");
    expect(await records.begin("b")).toBe("started");
  });

  it("answers completed for a delivery that finished", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin("a");
    await records.finish("a", "completed");
    expect(await records.begin("a")).toBe("completed");
    expect(await records.begin("a")).toBe("completed");
  });

  it("lets a failed delivery begin again", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin("a");
    await records.finish("a", "failed");
    expect(await records.begin("a")).toBe("started");
    await records.finish("a", "completed");
    expect(await records.begin("a")).toBe("completed");
  });

  it("forgets the oldest deliveries past its bound", async () => {
    const records = createMemoryDeliveryRecords({ max: 2 });
    for (const id of ["a", "b", "c"]) {
      await records.begin(id);
      await records.finish(id, "completed");
    }
    expect(await records.begin("c")).toBe("completed");
    expect(await records.begin("a")).toBe("started");
  });
});
