import { describe, expect, it } from "@jest/globals";
import type { App } from "../../../src/app/app.js";
import { createQueueSchedules } from "../../../src/schedules/queue-schedules.js";
import type { ScheduleSpec } from "../../../src/schedules/schedule-types.js";
import { createTestApp, type TestApp } from "../../../src/testing/index.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { until } from "../../helpers/wait.js";

const TICK_MS = 400;

interface Run {
  process: string;
  id: string;
  tick: number;
  installation?: number;
}

(hasRedisServer ? describe : describe.skip)(
  "app.schedule with Redis (BullMQ job schedulers)",
  () => {
    const redis = useRedisServer();

    async function processes(
      count: number,
      spec: ScheduleSpec,
      handler: (run: Run) => void = () => undefined,
      clock?: { now(): number },
    ) {
      const runs: Run[] = [];
      const prefix = `hw-test-${Math.random().toString(36).slice(2)}`;
      const apps: TestApp[] = [];
      for (let index = 0; index < count; index += 1) {
        const shared = await redis.connect();
        const name = `process-${index + 1}`;
        apps.push(
          await createTestApp(
            (bot: App) =>
              bot.schedule("reconcile", spec, (context) => {
                const run = {
                  process: name,
                  id: context.id,
                  tick: context.tick,
                  installation: context.installation?.id,
                };
                runs.push(run);
                handler(run);
              }),
            {
              repositories: ["octo/one"],
              schedules: (deps) =>
                createQueueSchedules({
                  ...deps,
                  redis: shared,
                  prefix,
                  workerConnection: () => ({
                    host: "127.0.0.1",
                    port: redis.server.port,
                    maxRetriesPerRequest: null,
                  }),
                  attempts: 3,
                  backoffMs: 20,
                  ...(clock && { clock }),
                }),
            },
          ),
        );
      }
      for (const app of apps) {
        app.github.addInstallation({
          id: 2,
          account: { login: "other" },
          repositories: ["other/x"],
        });
      }
      return { runs, apps, close: () => Promise.all(apps.map((app) => app.close())) };
    }

    it("runs each tick once across two processes, once per installation", async () => {
      const { runs, apps, close } = await processes(2, { every: TICK_MS });
      try {
        // The fifth tick has begun, so the first four have all their runs.
        await until(15_000, "five ticks", () => new Set(runs.map((run) => run.tick)).size >= 5);
        const ticks = [...new Set(runs.map((run) => run.tick))].sort();
        for (const tick of ticks.slice(0, 4)) {
          const ofTick = runs.filter((run) => run.tick === tick);
          // Each installation exactly once, whichever process took it.
          expect(ofTick.map((run) => run.installation).sort()).toEqual([1, 2]);
          expect(tick % TICK_MS).toBe(0);
        }
        const [status] = await apps[1]!.hookwright.schedules.status();
        expect(status!.lastRunAt).toBeGreaterThanOrEqual(ticks[3]!);
        expect(status!.nextRunAt).toBeGreaterThan(status!.lastRunAt!);
      } finally {
        await close();
      }
    });

    it("keeps ticks on multiples when the first upsert reaches Redis after the tick it planned", async () => {
      // A process that read the time just before a boundary Redis has already passed: as when
      // its connection took a while. BullMQ moves a start in the past to its own now.
      const lagging = { now: () => Math.floor(Date.now() / TICK_MS) * TICK_MS - 1 };
      const { runs, close } = await processes(
        1,
        { every: TICK_MS, per: "app" },
        undefined,
        lagging,
      );
      try {
        await until(15_000, "two ticks", () => new Set(runs.map((run) => run.tick)).size >= 2);
        for (const run of runs) expect(run.tick % TICK_MS).toBe(0);
      } finally {
        await close();
      }
    });

    it("retries a failed run through the queue, with the same run id", async () => {
      const failed = new Set<string>();
      const { runs, close } = await processes(1, { every: TICK_MS, per: "app" }, (run) => {
        if (failed.has(run.id)) return;
        failed.add(run.id);
        throw new Error("first attempt fails");
      });
      try {
        await until(15_000, "a retried run", () => runs.length >= 2);
        expect(runs[1]!.id).toBe(runs[0]!.id);
        expect(runs[0]!.id).toMatch(/^plugin-1\/reconcile:\d+$/);
      } finally {
        await close();
      }
    });
  },
);
