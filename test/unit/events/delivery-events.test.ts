import { describe, expect, it } from "@jest/globals";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";

const started: DeliveryEvent = {
  type: "started",
  delivery: { id: "d1", name: "issues", event: "issues.opened" },
  attempt: 1,
};

describe("delivery events", () => {
  it("delivers each event to the listeners of its type, in subscription order", () => {
    const events = createDeliveryEvents();
    const seen: string[] = [];
    events.subscribe((event) => seen.push(`a:${event.type}`));
    events.subscribe((event) => seen.push(`b:${event.type}`), ["started"]);
    events.emit(started);
    events.emit({ type: "plugin", id: "d1", plugin: "p", outcome: "started" });
    expect(seen).toEqual(["a:started", "b:started", "a:plugin"]);
  });

  it("says whether anyone listens to a type, and stops after unsubscribe", () => {
    const events = createDeliveryEvents();
    expect(events.wants("api-call")).toBe(false);
    const seen: DeliveryEvent[] = [];
    const unsubscribe = events.subscribe((event) => seen.push(event), ["api-call", "started"]);
    expect(events.wants("api-call")).toBe(true);
    expect(events.wants("finished")).toBe(false);
    unsubscribe();
    expect(events.wants("api-call")).toBe(false);
    events.emit(started);
    expect(seen).toEqual([]);
  });

  it("keeps emitting to the others when one listener throws", () => {
    const events = createDeliveryEvents();
    const seen: string[] = [];
    events.subscribe(() => {
      throw new Error("observer bug");
    });
    events.subscribe((event) => seen.push(event.type));
    expect(() => events.emit(started)).not.toThrow();
    expect(seen).toEqual(["started"]);
  });

  it("keeps relayed events from a listener of this process's events only, and says who wants them relayed", () => {
    const events = createDeliveryEvents();
    const local: string[] = [];
    const everything: string[] = [];
    events.subscribe((event) => local.push(event.type), ["started", "api-call"], {
      relayed: false,
    });
    expect(events.wants("api-call")).toBe(true);
    expect(events.wantsRelayed("api-call")).toBe(false);
    events.subscribe((event) => everything.push(event.type), ["started"]);
    expect(events.wantsRelayed("started")).toBe(true);
    events.emit(started);
    events.emit({ ...started, relayed: true });
    expect(local).toEqual(["started"]);
    expect(everything).toEqual(["started", "started"]);
  });

  it("says whether an api-call listener needs the calls' plugin and delivery", () => {
    const events = createDeliveryEvents();
    events.subscribe(() => undefined, ["api-call"], { attribution: false });
    expect(events.wants("api-call")).toBe(true);
    expect(events.wantsAttribution()).toBe(false);
    const unsubscribe = events.subscribe(() => undefined, ["api-call"]);
    expect(events.wantsAttribution()).toBe(true);
    unsubscribe();
    expect(events.wantsAttribution()).toBe(false);
  });
});
