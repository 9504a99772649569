export { createFakeGitHub } from "../fake-github/index.js";
export type * from "../fake-github/types.js";
export { createManualClock, type ManualClock } from "./manual-clock.js";
export { createManualTimers, type ManualTimers } from "./manual-timers.js";
export {
  createSignedDelivery,
  signBody,
  type SignedDelivery,
  type SignedDeliveryOptions,
} from "../fake-github/signed-delivery.js";
export {
  createTestApp,
  type ReceiveOptions,
  type ReceiveResult,
  type TestApp,
  type TestAppOptions,
} from "./create-test-app.js";
export { fixturesDir, loadFixture, readFixture } from "../fake-github/fixtures.js";
