/* global document, fetch, EventSource, alert, setTimeout, clearTimeout */
// The console page's script, served with the page's nonce; no build step.
"use strict";
const api = (path, init) =>
  fetch("/console/api" + path, { credentials: "same-origin", ...init }).then(async (r) => {
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body.error && body.error.message) || "HTTP " + r.status);
    return body;
  });
const post = (path, body) =>
  api(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body || {}),
  });
// Every value from a payload goes into the page as text, never as markup.
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
const $ = (id) => document.getElementById(id);
const open = new Set();
const COLUMNS = [
  "time",
  "event",
  "installation",
  "repository",
  "status",
  "duration",
  "plugins",
  "error",
];

function failedPlugins(d) {
  return (d.pluginRuns || []).filter((run) => run.outcome === "failed");
}

function statusCell(d) {
  const failed = failedPlugins(d).map((run) => run.plugin);
  const text =
    (d.status === null ? "" : d.status + " ") +
    d.outcome +
    (failed.length > 0 ? " in " + failed.join(", ") : "");
  const bad = d.outcome === "failed" || d.outcome === "refused";
  const cell = el("td", text, bad ? "bad" : d.outcome === "completed" ? "ok" : "muted");
  cell.dataset.testid = "status";
  return cell;
}

function pluginsCell(d) {
  const cell = el("td");
  const runs = d.pluginRuns && d.pluginRuns.length > 0 ? d.pluginRuns : null;
  if (!runs) {
    cell.textContent = d.plugins.join(", ") || "—";
    return cell;
  }
  runs.forEach((run, i) => {
    if (i > 0) cell.append(", ");
    const name = el("span", run.plugin, run.outcome === "failed" ? "plugin-failed" : "");
    name.dataset.testid = run.outcome === "failed" ? "failed-plugin" : "plugin";
    if (run.error) name.title = run.error;
    cell.append(name);
  });
  return cell;
}

function errorCell(d) {
  const failed = failedPlugins(d);
  const text =
    failed.length > 0
      ? failed.map((run) => run.plugin + ": " + (run.error || "failed")).join("; ")
      : d.error || "";
  const cell = el("td", text, "bad");
  cell.dataset.testid = "error";
  return cell;
}

function markOf(d) {
  if (!d.replay) return null;
  const text =
    (d.replay.kind === "redelivery" ? "redelivery of #" : "run as new from #") + d.replay.of;
  const mark = el("span", text, "mark");
  mark.dataset.testid = "replay-mark";
  return mark;
}

// Where a queued delivery ran: a worker in another process, and which attempt this row is.
function runMarks(d) {
  const marks = [];
  if (d.worker) marks.push("worker");
  if (d.attempt !== null && d.attempt > 1) marks.push("attempt " + d.attempt);
  if (marks.length === 0) return null;
  const mark = el("span", marks.join(", "), "mark");
  mark.dataset.testid = "run-mark";
  return mark;
}

function callSummary(c) {
  let text = c.method + " " + c.path + " → " + (c.status || "no answer");
  if (c.expected) text += " (expected: no such config file)";
  return text;
}

function callView(c) {
  const item = el("details", undefined, "call");
  const summary = el(
    "summary",
    callSummary(c),
    c.expected ? "muted" : c.status >= 400 || c.status === 0 ? "bad" : "",
  );
  item.append(summary);
  item.append(el("div", "request body", "muted"), el("pre", c.requestBody || "(none)"));
  item.append(el("div", "response body", "muted"), el("pre", c.responseBody || "(none)"));
  return item;
}

// Calls grouped by the plugin that made them; the framework's own (token exchange) apart.
function callGroups(d) {
  const groups = new Map();
  for (const c of d.calls) {
    const owner = c.plugin || "hookwright (token exchange)";
    if (!groups.has(owner)) groups.set(owner, []);
    groups.get(owner).push(c);
  }
  const box = el("div");
  box.dataset.testid = "calls";
  if (d.calls.length === 0) box.append(el("pre", "none"));
  for (const [owner, calls] of groups) {
    const group = el("div", undefined, "group");
    group.dataset.testid = "call-group";
    group.dataset.plugin = owner;
    const run = (d.pluginRuns || []).find((each) => each.plugin === owner);
    group.append(el("h3", owner, run && run.outcome === "failed" ? "plugin-failed" : ""));
    for (const c of calls) group.append(callView(c));
    box.append(group);
  }
  return box;
}

function resendButton(d, label, action, testid) {
  const button = el("button", label);
  button.dataset.testid = testid;
  button.addEventListener("click", (e) => {
    e.stopPropagation();
    post("/deliveries/" + d.seq + "/" + action).then(
      (r) =>
        ($("send-result").textContent =
          label + ": answered " + r.status + " " + ((r.body && r.body.status) || "")),
      (err) => alert(err.message),
    );
  });
  return button;
}

function changesView(d) {
  const changes = el("div");
  changes.dataset.testid = "changes";
  for (const c of d.changes) {
    if (c.kind === "comment") {
      changes.append(el("pre", "comment on " + c.repository + "#" + c.issue + ": " + c.body));
    } else if (c.kind === "label") {
      changes.append(
        el("pre", "labels on " + c.repository + "#" + c.issue + ": " + c.labels.join(", ")),
      );
    } else {
      changes.append(el("pre", c.method + " " + c.path));
    }
  }
  return changes;
}

function detailsRow(d) {
  const row = el("tr", undefined, "details");
  const cell = el("td");
  cell.colSpan = COLUMNS.length;
  cell.append(el("strong", "Delivery " + d.id));
  if (d.replayable) {
    cell.append(" ", resendButton(d, "Redeliver", "redeliver", "redeliver"));
    cell.append(" ", resendButton(d, "Run as new delivery", "run-as-new", "run-as-new"));
  }
  const copy = el("a", "Copy as test");
  copy.href = "/console/api/deliveries/" + d.seq + "/test";
  copy.download = "";
  copy.dataset.testid = "copy-as-test";
  copy.addEventListener("click", (e) => e.stopPropagation());
  cell.append(" ", copy);
  cell.append(el("div", "GitHub API calls, by plugin (click one for its bodies)", "muted"));
  cell.append(callGroups(d));
  if (d.changes && d.changes.length > 0) {
    cell.append(el("div", "What changed on the simulated GitHub", "muted"), changesView(d));
  }
  row.append(cell);
  return row;
}

function render(deliveries) {
  const body = $("deliveries");
  body.replaceChildren();
  $("empty").hidden = deliveries.length > 0;
  // Set once the list is shown: until then, an empty table says nothing.
  body.dataset.loaded = "true";
  for (const d of deliveries) {
    const row = el("tr", undefined, "delivery");
    row.dataset.testid = "delivery-row";
    row.dataset.event = d.event;
    row.dataset.seq = d.seq;
    const event = el("td", d.event);
    for (const mark of [markOf(d), runMarks(d)]) if (mark) event.append(mark);
    const cells = [
      el("td", new Date(d.receivedAt).toLocaleTimeString()),
      event,
      el("td", d.installation === null ? "—" : d.installation),
      el("td", d.repository === null ? "—" : d.repository),
      statusCell(d),
      el("td", d.durationMs === null ? "—" : d.durationMs + " ms"),
      pluginsCell(d),
      errorCell(d),
    ];
    cells.forEach((cell, i) => (cell.dataset.label = COLUMNS[i]));
    row.append(...cells);
    row.addEventListener("click", () => {
      if (open.has(d.seq)) open.delete(d.seq);
      else open.add(d.seq);
      refresh();
    });
    body.append(row);
    if (open.has(d.seq)) body.append(detailsRow(d));
  }
}

function renderFailed(jobs) {
  const body = $("failed-list");
  body.replaceChildren();
  $("failed-empty").hidden = jobs.length > 0;
  for (const job of jobs) {
    const row = el("tr");
    row.dataset.testid = "failed-job";
    row.dataset.id = job.id;
    const retry = el("button", "Retry");
    retry.type = "button";
    retry.dataset.testid = "retry-job";
    retry.addEventListener("click", () => {
      retry.disabled = true;
      post("/jobs/failed/" + encodeURIComponent(job.id) + "/retry").then(
        () => refresh(),
        (err) => {
          retry.disabled = false;
          $("send-result").textContent = "Retry: " + err.message;
        },
      );
    });
    const cells = [
      el("td", job.id),
      el("td", job.event),
      el("td", job.attempts),
      el("td", job.failedAt ? new Date(job.failedAt).toLocaleTimeString() : "—"),
      el("td", job.reason, "bad"),
      el("td"),
    ];
    cells[5].append(retry);
    ["delivery", "event", "attempts", "failed at", "error", ""].forEach(
      (label, i) => (cells[i].dataset.label = label),
    );
    row.append(...cells);
    body.append(row);
  }
}

let pending = false;
let withQueue = false;
function refresh() {
  if (pending) return;
  pending = true;
  setTimeout(() => {
    pending = false;
    api("/deliveries").then(
      (r) => render(r.deliveries),
      () => {},
    );
    if (withQueue)
      api("/jobs/failed").then(
        (r) => renderFailed(r.jobs),
        () => {},
      );
  }, 50);
}

// Shown formatted: the payload is read and edited by a person, and sent as it stands.
function formatted(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

let checking;
function checkPayload() {
  clearTimeout(checking);
  checking = setTimeout(() => {
    post("/check-json", { payload: $("payload").value }).then(
      (r) => ($("payload-error").textContent = r.error ? "Not JSON: " + r.error : ""),
      () => {},
    );
  }, 150);
}

async function loadSample() {
  const name = $("sample").value;
  if (!name) return;
  const sample = await api("/samples/" + encodeURIComponent(name));
  // `pull_request.opened.installation` is sent as pull_request.opened: name and action.
  $("event").value = name.split(".").slice(0, 2).join(".");
  $("payload").value = formatted(sample.payload);
  $("payload-error").textContent = "";
}

$("sample").addEventListener("change", () => loadSample().catch(() => {}));
$("payload").addEventListener("input", checkPayload);
$("format").addEventListener("click", () => {
  $("payload").value = formatted($("payload").value);
  checkPayload();
});
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("send-result").textContent = "sending…";
  post("/send", { event: $("event").value, payload: $("payload").value }).then(
    (r) => ($("send-result").textContent = "answered " + r.status),
    (err) => ($("send-result").textContent = err.message),
  );
});
$("register-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = { webhookUrl: $("webhook-url").value, organization: $("organization").value };
  post("/register", input).then(
    (r) => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = r.action;
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "manifest";
      field.value = r.manifest;
      form.append(field);
      document.body.append(form);
      form.submit();
    },
    (err) => ($("register-result").textContent = err.message),
  );
});

async function start() {
  const info = await api("/info");
  $("mode").textContent = info.sandbox ? "sandbox" : "connected to GitHub";
  $("intro").textContent = info.sandbox
    ? "Sandbox: deliveries are signed and verified, and your plugins call a simulated GitHub with one installation. Nothing reaches github.com."
    : "Deliveries from GitHub appear here as they arrive.";
  $("register").hidden = !info.registration;
  withQueue = info.queue === true;
  $("failed-jobs").hidden = !withQueue;
  if (info.webhookProxyUrl) $("webhook-url").value = info.webhookProxyUrl;
  const { samples } = await api("/samples");
  for (const s of samples) $("sample").append(el("option", s.name));
  if (samples.some((s) => s.name === "issues.opened")) $("sample").value = "issues.opened";
  await loadSample();
  refresh();
  const stream = new EventSource("/console/api/stream");
  stream.addEventListener("delivery", refresh);
  stream.onerror = () => {
    // The stream reconnects by itself; meanwhile poll so nothing is missed.
    refresh();
  };
}
start().catch((err) => ($("intro").textContent = err.message));
