import type { CommandContext, CommandRefusal } from "./command-types.js";

/**
 * The default answer to a refused command: a reaction on the comment (`-1` when the
 * permission is missing, `confused` when the words do not fit) and a reply saying why.
 */
export async function answerRefusal(
  context: CommandContext,
  refusal: CommandRefusal,
): Promise<void> {
  const content = refusal.reason === "permission" ? ("-1" as const) : ("confused" as const);
  await context.octokit.rest.reactions.createForIssueComment(
    context.repo({ comment_id: context.payload.comment.id, content }),
  );
  await context.octokit.rest.issues.createComment(
    context.issue({ body: `@${context.payload.sender.login} ${refusal.message}` }),
  );
}
