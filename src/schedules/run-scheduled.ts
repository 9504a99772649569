import type { Logger } from "pino";
import type { ClientFactory } from "../github/create-client-factory.js";
import { planTick, runId, type PlannedRun } from "./list-targets.js";
import { ScheduleContext } from "./schedule-context.js";
import { nextTick } from "./schedule-timing.js";
import type { RegisteredSchedule, ScheduleTarget } from "./schedule-types.js";

/** What runs need, whichever runtime fires the ticks. */
export interface ScheduleDeps {
  clients: ClientFactory;
  logger: Logger;
  random?: () => number;
}

/** Plans one tick: who it runs for and how long after the tick each run starts. */
export function planRuns(
  deps: ScheduleDeps,
  schedule: RegisteredSchedule,
  tick: number,
): Promise<PlannedRun[]> {
  return planTick({
    schedule,
    intervalMs: nextTick(schedule.spec, tick) - tick,
    appClient: () => deps.clients.forApp({ log: deps.logger }),
    installationClient: (id) => deps.clients.forInstallation(id, { log: deps.logger }),
    random: deps.random ?? Math.random,
  });
}

/** Runs the handler once for one target of one tick. Rejects with the handler's error. */
export async function runScheduled(
  deps: ScheduleDeps,
  schedule: RegisteredSchedule,
  tick: number,
  target: ScheduleTarget,
): Promise<void> {
  const id = runId(schedule, tick, target);
  let log: Logger | undefined;
  const makeLog = () =>
    (log ??= deps.logger.child({
      plugin: schedule.plugin,
      schedule: schedule.name,
      run: id,
      installation: target.installation?.id,
      repo: target.repository && `${target.repository.owner}/${target.repository.repo}`,
    }));
  const installation = target.installation?.id;
  const octokit = () =>
    installation === undefined
      ? deps.clients.forApp({ log: makeLog() })
      : deps.clients.forInstallation(installation, { log: makeLog() });
  let client: ReturnType<typeof octokit> | undefined;
  const context = new ScheduleContext({
    id,
    schedule: schedule.name,
    tick,
    target,
    octokit: () => (client ??= octokit()),
    log: makeLog,
  });
  try {
    await schedule.handler(context);
  } catch (error) {
    makeLog().error({ err: error }, "scheduled run failed");
    throw error;
  }
}

/** One tick now, every run in turn with no spreading: what `testApp.runSchedule` does. */
export async function runTickNow(
  deps: ScheduleDeps,
  schedule: RegisteredSchedule,
  tick: number,
): Promise<void> {
  const failures: unknown[] = [];
  for (const { target } of await planRuns(deps, schedule, tick)) {
    await runScheduled(deps, schedule, tick, target).catch((error: unknown) =>
      failures.push(error),
    );
  }
  if (failures.length > 0) throw new AggregateError(failures, `schedule ${schedule.id} failed`);
}
