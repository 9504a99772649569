import { GitHubError, paginate } from "./http.js";
import { route, type Route } from "./router.js";
import type { FakeHookDelivery } from "./types.js";

function render(attempt: FakeHookDelivery) {
  const ok = attempt.statusCode >= 200 && attempt.statusCode < 300;
  return {
    id: attempt.id,
    guid: attempt.guid,
    delivered_at: attempt.deliveredAt,
    redelivery: attempt.redelivery ?? false,
    duration: 0.25,
    status: ok ? "OK" : `Invalid HTTP Response: ${attempt.statusCode}`,
    status_code: attempt.statusCode,
    event: attempt.event,
    action: attempt.action ?? null,
    installation_id: attempt.installationId ?? null,
    repository_id: null,
  };
}

/** The app webhook's delivery log. https://docs.github.com/en/rest/apps/webhooks */
export const hookDeliveryRoutes: Route[] = [
  route("GET", "/app/hook/deliveries", "jwt", ({ state, url }) => {
    const newestFirst = [...state.hookDeliveries].sort(
      (a, b) => Date.parse(b.deliveredAt) - Date.parse(a.deliveredAt) || b.id - a.id,
    );
    const page = paginate(newestFirst, url);
    return { status: 200, headers: page.headers, body: page.items.map(render) };
  }),

  route("POST", "/app/hook/deliveries/:id/attempts", "jwt", ({ state, params }) => {
    const attempt = state.hookDeliveries.find((candidate) => candidate.id === Number(params.id));
    if (attempt === undefined) throw new GitHubError(404, "Not Found");
    state.redeliveryRequests.push(attempt.id);
    state.hookDeliveries.push({
      ...attempt,
      id: Math.max(...state.hookDeliveries.map((candidate) => candidate.id)) + 1,
      deliveredAt: new Date(state.clock.now()).toISOString(),
      statusCode: 200,
      redelivery: true,
    });
    return { status: 202, body: {} };
  }),
];
