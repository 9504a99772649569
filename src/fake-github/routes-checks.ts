import { GitHubError, paginate } from "./http.js";
import { renderCheckRun, renderCheckSuite } from "./render-records.js";
import { route, type Route, type RouteContext } from "./router.js";
import { bodyOf, repoFor, requireFields, stringField } from "./route-helpers.js";
import type { Repo } from "./state.js";
import type { FakeCheckRun } from "./types-records.js";

const STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];

function ofRepo(context: RouteContext, repo: Repo): FakeCheckRun[] {
  const name = repo.fullName.toLowerCase();
  return context.state.records.checkRuns.filter((run) => run.repo.toLowerCase() === name);
}

/** The sha a ref names: itself, a pull request's head branch, or the default branch's tip. */
function resolveRef(context: RouteContext, repo: Repo, ref: string): string {
  const { records } = context.state;
  const branch = ref.replace(/^refs\/heads\//, "");
  const pull = records.issues.find(
    (issue) =>
      issue.repo.toLowerCase() === repo.fullName.toLowerCase() && issue.pull?.head === branch,
  );
  const pullHead = pull?.pull?.commits.at(-1)?.sha;
  if (pullHead !== undefined) return pullHead;
  if (branch === context.state.defaultBranch(repo.fullName)) {
    return records.commitsOf(repo.fullName).at(-1)?.sha ?? ref;
  }
  return ref;
}

/** Applies what `POST` and `PATCH …/check-runs` may set; `completed_at` follows a conclusion. */
function applyFields(context: RouteContext, run: FakeCheckRun): void {
  const body = bodyOf(context);
  const now = context.state.clock.now();
  run.name = stringField(body, "name", run.name) ?? run.name;
  run.externalId = stringField(body, "external_id", run.externalId);
  run.detailsUrl = stringField(body, "details_url", run.detailsUrl);
  const conclusion = stringField(body, "conclusion", run.conclusion);
  const status = stringField(body, "status", conclusion === null ? run.status : "completed");
  if (status === null || !STATUSES.includes(status)) {
    throw new GitHubError(422, "Invalid request.\n\nInvalid property /status.");
  }
  if (status === "completed" && conclusion === null) {
    throw new GitHubError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
  }
  run.status = status;
  run.conclusion = status === "completed" ? conclusion : null;
  run.completedAt = status === "completed" ? (run.completedAt ?? now) : null;
  const output = body.output as Record<string, unknown> | undefined;
  if (output !== undefined) {
    run.output = {
      title: stringField(output, "title", run.output.title),
      summary: stringField(output, "summary", run.output.summary),
      text: stringField(output, "text", run.output.text),
    };
  }
}

function findRun(context: RouteContext, repo: Repo): FakeCheckRun {
  const run = ofRepo(context, repo).find((candidate) => candidate.id === Number(context.params.id));
  if (run === undefined) throw new GitHubError(404, "Not Found");
  return run;
}

function suiteRuns(context: RouteContext, repo: Repo): { id: number; runs: FakeCheckRun[] } {
  const id = Number(context.params.id);
  const runs = ofRepo(context, repo).filter((run) => run.suiteId === id);
  if (runs.length === 0) throw new GitHubError(404, "Not Found");
  return { id, runs };
}

function wrappedRuns(context: RouteContext, runs: FakeCheckRun[]) {
  const name = context.url.searchParams.get("check_name");
  const status = context.url.searchParams.get("status");
  const matching = runs
    .filter((run) => name === null || run.name === name)
    .filter((run) => status === null || run.status === status);
  const page = paginate(matching, context.url);
  return {
    status: 200,
    headers: page.headers,
    body: {
      total_count: matching.length,
      check_runs: page.items.map((run) => renderCheckRun(context, run)),
    },
  };
}

/** Check runs and the suites they fall in, one suite per head sha. https://docs.github.com/en/rest/checks */
export const checkRoutes: Route[] = [
  route("POST", "/repos/:owner/:repo/check-runs", "token", (context) => {
    const repo = repoFor(context, ["checks", "write"]);
    const body = requireFields(context, ["name", "head_sha"]);
    const headSha = String(body.head_sha);
    const { records } = context.state;
    const run: FakeCheckRun = {
      id: records.nextId("check_run"),
      repo: repo.fullName,
      name: String(body.name),
      headSha,
      status: "queued",
      conclusion: null,
      externalId: null,
      detailsUrl: null,
      output: { title: null, summary: null, text: null },
      startedAt: context.state.clock.now(),
      completedAt: null,
      suiteId: context.state.id("check_suite", `${repo.fullName}@${headSha}`),
    };
    applyFields(context, run);
    records.checkRuns.push(run);
    return { status: 201, body: renderCheckRun(context, run) };
  }),

  route("GET", "/repos/:owner/:repo/check-runs/:id", "token", (context) => {
    const repo = repoFor(context, ["checks", "read"]);
    return { status: 200, body: renderCheckRun(context, findRun(context, repo)) };
  }),

  route("PATCH", "/repos/:owner/:repo/check-runs/:id", "token", (context) => {
    const repo = repoFor(context, ["checks", "write"]);
    const run = findRun(context, repo);
    applyFields(context, run);
    return { status: 200, body: renderCheckRun(context, run) };
  }),

  route("GET", "/repos/:owner/:repo/commits/:ref/check-runs", "token", (context) => {
    const repo = repoFor(context, ["checks", "read"]);
    const sha = resolveRef(context, repo, context.params.ref ?? "");
    return wrappedRuns(
      context,
      ofRepo(context, repo).filter((run) => run.headSha === sha),
    );
  }),

  route("GET", "/repos/:owner/:repo/commits/:ref/check-suites", "token", (context) => {
    const repo = repoFor(context, ["checks", "read"]);
    const sha = resolveRef(context, repo, context.params.ref ?? "");
    const runs = ofRepo(context, repo).filter((run) => run.headSha === sha);
    const ids = [...new Set(runs.map((run) => run.suiteId))];
    const page = paginate(ids, context.url);
    const suites = page.items.map((id) =>
      renderCheckSuite(
        context,
        runs.filter((run) => run.suiteId === id),
        id,
      ),
    );
    return {
      status: 200,
      headers: page.headers,
      body: { total_count: ids.length, check_suites: suites },
    };
  }),

  route("GET", "/repos/:owner/:repo/check-suites/:id", "token", (context) => {
    const repo = repoFor(context, ["checks", "read"]);
    const { id, runs } = suiteRuns(context, repo);
    return { status: 200, body: renderCheckSuite(context, runs, id) };
  }),

  route("GET", "/repos/:owner/:repo/check-suites/:id/check-runs", "token", (context) => {
    const repo = repoFor(context, ["checks", "read"]);
    return wrappedRuns(context, suiteRuns(context, repo).runs);
  }),
];
