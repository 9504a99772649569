import { GitHubError, paginate } from "./http.js";
import { renderRelease } from "./render-records.js";
import { route, type Route, type RouteContext } from "./router.js";
import { bodyOf, repoFor, requireFields, stringField } from "./route-helpers.js";
import type { Repo } from "./state.js";
import type { FakeRelease } from "./types-records.js";

function ofRepo(context: RouteContext, repo: Repo): FakeRelease[] {
  const name = repo.fullName.toLowerCase();
  return context.state.records.releases
    .filter((release) => release.repo.toLowerCase() === name)
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

function found(release: FakeRelease | undefined): FakeRelease {
  if (release === undefined) throw new GitHubError(404, "Not Found");
  return release;
}

function byId(context: RouteContext, repo: Repo): FakeRelease {
  return found(ofRepo(context, repo).find((release) => release.id === Number(context.params.id)));
}

function flag(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = body[name];
  return typeof value === "boolean" ? value : fallback;
}

function applyFields(context: RouteContext, release: FakeRelease): void {
  const body = bodyOf(context);
  if (body.tag_name !== undefined) release.tagName = String(body.tag_name);
  release.name = stringField(body, "name", release.name);
  release.body = stringField(body, "body", release.body);
  release.targetCommitish =
    stringField(body, "target_commitish", release.targetCommitish) ?? release.targetCommitish;
  release.draft = flag(body, "draft", release.draft);
  release.prerelease = flag(body, "prerelease", release.prerelease);
}

/** Releases, newest first. https://docs.github.com/en/rest/releases/releases */
export const releaseRoutes: Route[] = [
  route("GET", "/repos/:owner/:repo/releases", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const page = paginate(ofRepo(context, repo), context.url);
    const body = page.items.map((release) => renderRelease(context, release));
    return { status: 200, headers: page.headers, body };
  }),

  route("POST", "/repos/:owner/:repo/releases", "token", (context) => {
    const repo = repoFor(context, ["contents", "write"]);
    const body = requireFields(context, ["tag_name"]);
    const tagName = String(body.tag_name);
    if (ofRepo(context, repo).some((release) => release.tagName === tagName)) {
      throw new GitHubError(422, "Validation Failed");
    }
    const release: FakeRelease = {
      id: context.state.records.nextId("release"),
      repo: repo.fullName,
      tagName,
      name: null,
      body: null,
      draft: false,
      prerelease: false,
      targetCommitish: context.state.defaultBranch(repo.fullName),
      createdAt: context.state.clock.now(),
    };
    applyFields(context, release);
    context.state.records.releases.push(release);
    return { status: 201, body: renderRelease(context, release) };
  }),

  route("GET", "/repos/:owner/:repo/releases/latest", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const latest = ofRepo(context, repo).find((release) => !release.draft && !release.prerelease);
    return { status: 200, body: renderRelease(context, found(latest)) };
  }),

  route("GET", "/repos/:owner/:repo/releases/tags/:tag", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    const tagged = ofRepo(context, repo).find((release) => release.tagName === context.params.tag);
    return { status: 200, body: renderRelease(context, found(tagged)) };
  }),

  route("GET", "/repos/:owner/:repo/releases/:id", "token", (context) => {
    const repo = repoFor(context, ["contents", "read"]);
    return { status: 200, body: renderRelease(context, byId(context, repo)) };
  }),

  route("PATCH", "/repos/:owner/:repo/releases/:id", "token", (context) => {
    const repo = repoFor(context, ["contents", "write"]);
    const release = byId(context, repo);
    applyFields(context, release);
    return { status: 200, body: renderRelease(context, release) };
  }),

  route("DELETE", "/repos/:owner/:repo/releases/:id", "token", (context) => {
    const repo = repoFor(context, ["contents", "write"]);
    const release = byId(context, repo);
    const all = context.state.records.releases;
    all.splice(all.indexOf(release), 1);
    return { status: 204 };
  }),
];
