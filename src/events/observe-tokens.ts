import type { TokenObservation } from "../auth/create-app-auth.js";
import type { DeliveryEvents } from "./delivery-events.js";

/** The auth module's observation hook, turned into `token` and `token-exchange` events. */
export function observeTokens(events: DeliveryEvents): (seen: TokenObservation) => void {
  return (seen) => {
    if (seen.kind === "cache") {
      if (!events.wants("token")) return;
      const cache = seen.hit ? "hit" : "miss";
      events.emit({ type: "token", installation: seen.installation, cache });
    } else if (events.wants("token-exchange")) {
      const { installation, outcome } = seen;
      events.emit({ type: "token-exchange", installation, outcome });
    }
  };
}
