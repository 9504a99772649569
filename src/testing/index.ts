export { createFakeGitHub } from "./fake-github/index.js";
export type * from "./fake-github/types.js";
export { createManualClock, type ManualClock } from "./manual-clock.js";
export {
  createSignedDelivery,
  signBody,
  type SignedDelivery,
  type SignedDeliveryOptions,
} from "./signed-delivery.js";
