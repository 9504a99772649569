import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";
import { createManualClock } from "../../helpers/manual-clock.js";

describe("fake GitHub: releases", () => {
  it("creates, lists newest first, updates, finds by tag and latest, and deletes", async () => {
    const clock = createManualClock();
    const { github, octokit } = fakeWithClient({
      clock,
      repositories: { "octo/hello": { releases: [{ tagName: "v1.0.0" }] } },
    });
    clock.advance(1000);
    const { data: draft, status } = await octokit.rest.repos.createRelease({
      ...HELLO,
      tag_name: "v1.1.0",
      name: "1.1",
      draft: true,
    });
    expect(status).toBe(201);
    expect(draft).toMatchObject({ tag_name: "v1.1.0", draft: true, published_at: null });
    const { data: listed } = await octokit.rest.repos.listReleases(HELLO);
    expect(listed.map((release) => release.tag_name)).toEqual(["v1.1.0", "v1.0.0"]);

    const { data: latestBefore } = await octokit.rest.repos.getLatestRelease(HELLO);
    expect(latestBefore.tag_name).toBe("v1.0.0");
    await octokit.rest.repos.updateRelease({
      ...HELLO,
      release_id: draft.id,
      draft: false,
      body: "notes",
    });
    const { data: latest } = await octokit.rest.repos.getLatestRelease(HELLO);
    expect(latest).toMatchObject({ id: draft.id, body: "notes", draft: false });
    const { data: byTag } = await octokit.rest.repos.getReleaseByTag({ ...HELLO, tag: "v1.0.0" });
    expect(byTag.name).toBe("v1.0.0");

    await octokit.rest.repos.deleteRelease({ ...HELLO, release_id: draft.id });
    expect(github.records.releases.map((release) => release.tagName)).toEqual(["v1.0.0"]);
    await expect(
      octokit.rest.repos.getRelease({ ...HELLO, release_id: draft.id }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("answers 422 for a missing or taken tag", async () => {
    const { octokit } = fakeWithClient({
      repositories: { "octo/hello": { releases: [{ tagName: "v1" }] } },
    });
    await expect(
      octokit.request("POST /repos/octo/hello/releases", { name: "no tag" }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.repos.createRelease({ ...HELLO, tag_name: "v1" }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
