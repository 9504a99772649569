import { afterEach, describe, expect, it, jest } from "@jest/globals";
import type { Redis } from "ioredis";
import {
  createDeliveryEvents,
  type DeliveryEvent,
  type DeliverySummary,
} from "../../../src/events/delivery-events.js";
import { publishEvents, receiveRelayedEvents } from "../../../src/events/relay-events.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { sleep, until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

const summary = (id: string): DeliverySummary => ({ id, name: "issues", event: "issues.opened" });
const finished = (id: string): DeliveryEvent => ({
  type: "finished",
  delivery: summary(id),
  outcome: "completed",
  seconds: 0.01,
});

describeRedis("relayed delivery events", () => {
  const redisServer = useRedisServer();
  const monitors: Redis[] = [];
  afterEach(() => {
    for (const monitor of monitors.splice(0)) monitor.disconnect();
  });

  async function open(prefix: string) {
    const redis = await redisServer.connect();
    const worker = createDeliveryEvents();
    const route = { origin: "receiver", observe: ["finished"] };
    const stop = publishEvents({ redis, prefix, events: worker, route: () => route, self: "w" });
    const publishes: number[] = [];
    const watch = await (await redisServer.connect()).monitor();
    monitors.push(watch);
    watch.on("monitor", (_time: string, args: string[]) => {
      if (args[0] === "publish") publishes.push(args.length);
    });
    return { redis, worker, stop, publishes };
  }

  it("sends a worker's events back to the receiving process in one PUBLISH per 100 ms", async () => {
    const { worker, stop, publishes } = await open("relay1");
    const receiver = createDeliveryEvents();
    const heard: DeliveryEvent[] = [];
    receiver.subscribe((event) => void heard.push(event));
    const stopReceiving = await receiveRelayedEvents({
      subscriber: await redisServer.connect(),
      prefix: "relay1",
      self: "receiver",
      events: receiver,
      logger: captureLogs().logger,
    });
    for (let index = 0; index < 20; index += 1) worker.emit(finished(`d-${index}`));
    await until(2000, "the relayed events", () => heard.length === 20);
    expect(heard[19]).toMatchObject({ ...finished("d-19"), relayed: true });
    expect(publishes).toHaveLength(1);
    stop();
    await stopReceiving();
  });

  it("publishes nothing more for a while once a PUBLISH reached nobody", async () => {
    const { worker, stop, publishes } = await open("relay2");
    worker.emit(finished("d-1"));
    await sleep(300);
    expect(publishes).toHaveLength(1);
    for (let index = 0; index < 5; index += 1) worker.emit(finished(`d-${index + 2}`));
    await sleep(300);
    expect(publishes).toHaveLength(1);
    stop();
  });

  it("publishes again 1 s after a PUBLISH reached nobody (a receiver back after a reconnect)", async () => {
    const { worker, stop, publishes } = await open("relay3");
    worker.emit(finished("d-1"));
    await sleep(300);
    worker.emit(finished("d-2"));
    await sleep(1100);
    expect(publishes).toHaveLength(1);
    worker.emit(finished("d-3"));
    await until(2000, "the next PUBLISH", () => publishes.length === 2);
    await stop();
  });

  it("stop sends what is batched and resolves once Redis has it; the batch timer holds no process open", async () => {
    const { redis, worker, stop } = await open("relay4");
    const setTimer = jest.spyOn(globalThis, "setTimeout");
    let published = false;
    const publish = redis.publish.bind(redis);
    redis.publish = (async (channel: string, message: string) => {
      const heard = await publish(channel, message);
      published = true;
      return heard;
    }) as typeof redis.publish;
    worker.emit(finished("d-1"));
    const timer = setTimer.mock.results[0]?.value as NodeJS.Timeout;
    setTimer.mockRestore();
    expect(timer.hasRef()).toBe(false);
    await stop();
    expect(published).toBe(true);
  });
});
