import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";

describe("fake GitHub: collaborators and teams", () => {
  it("answers a seeded collaborator's role, folded into the legacy permission, and none for others", async () => {
    const { octokit } = fakeWithClient({
      repositories: { "octo/hello": { collaborators: { Alice: "maintain", bob: "triage" } } },
    });
    const permission = (username: string) =>
      octokit.rest.repos.getCollaboratorPermissionLevel({ ...HELLO, username });
    expect((await permission("alice")).data).toMatchObject({
      role_name: "maintain",
      permission: "write",
      user: { login: "alice" },
    });
    expect((await permission("bob")).data).toMatchObject({
      role_name: "triage",
      permission: "read",
    });
    expect((await permission("carol")).data).toMatchObject({
      role_name: "none",
      permission: "none",
    });
  });

  it("answers team membership for members added, 404 for anyone else", async () => {
    const { github, octokit } = fakeWithClient({});
    const membership = (username: string) =>
      octokit.rest.teams.getMembershipForUserInOrg({ org: "octo", team_slug: "ops", username });
    await expect(membership("alice")).rejects.toMatchObject({ status: 404 });
    github.addTeamMember("octo", "ops", "alice", "maintainer");
    expect((await membership("Alice")).data).toMatchObject({ role: "maintainer", state: "active" });
  });
});
