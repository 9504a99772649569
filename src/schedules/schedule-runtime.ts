import type { RegisteredSchedule, ScheduleStatus } from "./schedule-types.js";

/**
 * What fires the ticks: timers in this process, or BullMQ job schedulers shared by every
 * process on one Redis.
 */
export interface ScheduleRuntime {
  /** Arms every schedule (upserts its job scheduler); no-op for none. */
  start(schedules: RegisteredSchedule[]): Promise<void>;
  /** Disarms; runs already going are waited for. */
  stop(): Promise<void>;
  /** Next and last tick of each schedule. */
  status(): Promise<ScheduleStatus[]>;
  /** The installation was uninstalled or suspended: its runs not yet started are dropped. */
  forget(installationId: number): Promise<void>;
  /** It came back (unsuspended): its runs are planned again. */
  remember(installationId: number): Promise<void>;
}
