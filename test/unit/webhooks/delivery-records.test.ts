import { describe, expect, it } from "@jest/globals";
import { createManualClock } from "../../../src/testing/manual-clock.js";
import { createMemoryDeliveryRecords } from "../../../src/webhooks/delivery-records.js";

describe("createMemoryDeliveryRecords", () => {
  it("starts a new delivery and reports it running until it finishes", async () => {
    const records = createMemoryDeliveryRecords();
    expect(await records.begin("a", "one")).toBe("started");
    expect(await records.begin("a", "two")).toBe("running");
    expect(await records.begin("b", "two")).toBe("started");
  });

  it("answers completed for a delivery that finished", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin("a", "one");
    await records.finish("a", "one", "completed");
    expect(await records.begin("a", "two")).toBe("completed");
    expect(await records.begin("a", "three")).toBe("completed");
    expect(await records.isCompleted("a")).toBe(true);
  });

  it("lets a failed delivery begin again", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin("a", "one");
    await records.finish("a", "one", "failed");
    expect(await records.isCompleted("a")).toBe(false);
    expect(await records.begin("a", "two")).toBe("started");
    await records.finish("a", "two", "completed");
    expect(await records.begin("a", "three")).toBe("completed");
  });

  it("lets a released delivery begin again", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin("a", "one");
    await records.finish("a", "one", "released");
    expect(await records.isCompleted("a")).toBe(false);
    expect(await records.begin("a", "two")).toBe("started");
  });

  it("forgets the oldest deliveries past its bound", async () => {
    const records = createMemoryDeliveryRecords({ max: 2 });
    for (const id of ["a", "b", "c"]) {
      await records.begin(id, "one");
      await records.finish(id, "one", "completed");
    }
    expect(await records.begin("c", "two")).toBe("completed");
    expect(await records.begin("a", "two")).toBe("started");
  });

  it("lets a lease lapse after leaseMs without renewal, so the delivery starts again", async () => {
    const clock = createManualClock();
    const records = createMemoryDeliveryRecords({ leaseMs: 1000, clock });
    expect(records.leaseMs).toBe(1000);
    expect(await records.begin("a", "one")).toBe("started");
    clock.advance(999);
    expect(await records.begin("a", "two")).toBe("running");
    clock.advance(1);
    expect(await records.begin("a", "two")).toBe("started");
  });

  it("leases for 15 seconds by default", async () => {
    const clock = createManualClock();
    const records = createMemoryDeliveryRecords({ clock });
    expect(records.leaseMs).toBe(15_000);
    await records.begin("a", "one");
    clock.advance(14_999);
    expect(await records.begin("a", "two")).toBe("running");
    clock.advance(1);
    expect(await records.begin("a", "two")).toBe("started");
  });

  it("renews a lease from now while its owner holds it", async () => {
    const clock = createManualClock();
    const records = createMemoryDeliveryRecords({ leaseMs: 1000, clock });
    await records.begin("a", "one");
    clock.advance(800);
    expect(await records.renew("a", "one")).toBe(true);
    clock.advance(800);
    expect(await records.begin("a", "two")).toBe("running");
    clock.advance(200);
    expect(await records.begin("a", "two")).toBe("started");
  });

  it("renews only for the owner, and not once the lease lapsed or the delivery finished", async () => {
    const clock = createManualClock();
    const records = createMemoryDeliveryRecords({ leaseMs: 1000, clock });
    expect(await records.renew("unknown", "one")).toBe(false);
    await records.begin("a", "one");
    expect(await records.renew("a", "two")).toBe(false);
    clock.advance(1000);
    expect(await records.renew("a", "one")).toBe(false);
    expect(await records.begin("a", "two")).toBe("started");
    expect(await records.renew("a", "one")).toBe(false);
    expect(await records.renew("a", "two")).toBe(true);
    await records.finish("a", "two", "completed");
    expect(await records.renew("a", "two")).toBe(false);
    expect(await records.begin("a", "three")).toBe("completed");
  });

  it("does not free a record when another owner finishes it as failed or released", async () => {
    const clock = createManualClock();
    const records = createMemoryDeliveryRecords({ leaseMs: 1000, clock });
    await records.begin("a", "one");
    await records.finish("a", "two", "failed");
    await records.finish("a", "two", "released");
    expect(await records.begin("a", "three")).toBe("running");
    // A lapsed run's late failure must not erase the run that took over.
    clock.advance(1000);
    expect(await records.begin("a", "two")).toBe("started");
    await records.finish("a", "one", "failed");
    expect(await records.begin("a", "three")).toBe("running");
    expect(await records.renew("a", "two")).toBe(true);
  });

  it("marks a delivery completed whichever run finishes it so", async () => {
    const records = createMemoryDeliveryRecords();
    await records.begin("a", "one");
    await records.finish("a", "two", "completed");
    expect(await records.begin("a", "three")).toBe("completed");
  });
});
