import type { App, ScheduleContext } from "../../src/index.js";

/** `.github/unlabelled-reminder.yml`; the file's presence turns the reminder on. */
export interface ReminderSettings {
  /** The reminder issue's title; it is updated week after week, never opened twice. */
  title: string;
  /** Issues opened more recently than this many days are left to triage. */
  graceDays: number;
}

export const DEFAULTS: ReminderSettings = {
  title: "Weekly reminder: issues without labels",
  graceDays: 2,
};

const DAY_MS = 86_400_000;

interface IssueItem {
  number: number;
  title: string;
  labels: unknown[];
  pull_request?: unknown;
  created_at: string;
}

async function remind(context: ScheduleContext): Promise<void> {
  const found = await context.config<Partial<ReminderSettings>>("unlabelled-reminder.yml");
  if (found === null) return;
  const settings = { ...DEFAULTS, ...found };
  const open = (await context.octokit.paginate(
    context.octokit.rest.issues.listForRepo,
    context.repo({ state: "open" as const, per_page: 100 }),
  )) as IssueItem[];
  const reminder = open.find((issue) => issue.title === settings.title && !issue.pull_request);
  const cutoff = context.tick - settings.graceDays * DAY_MS;
  const unlabelled = open
    .filter(
      (issue) =>
        !issue.pull_request &&
        issue !== reminder &&
        issue.labels.length === 0 &&
        Date.parse(issue.created_at) <= cutoff,
    )
    // GitHub lists the newest first; oldest first reads as a queue.
    .sort((a, b) => a.number - b.number);
  if (unlabelled.length === 0) {
    if (reminder) {
      await context.octokit.rest.issues.update(
        context.repo({ issue_number: reminder.number, state: "closed" as const }),
      );
    }
    return;
  }
  const body = [
    `${unlabelled.length} open issue(s) have no labels yet:`,
    "",
    ...unlabelled.map((issue) => `- [ ] #${issue.number} ${issue.title}`),
  ].join("\n");
  if (reminder) {
    await context.octokit.rest.issues.update(context.repo({ issue_number: reminder.number, body }));
  } else {
    await context.octokit.rest.issues.create(context.repo({ title: settings.title, body }));
  }
  context.log.info({ unlabelled: unlabelled.length }, "reminded");
}

/**
 * Every Monday at 09:00 UTC, in each repository that has `.github/unlabelled-reminder.yml`:
 * one issue listing the open issues nobody has labelled yet (kept up to date, closed when
 * there are none). One installation's repositories are spread over two hours, so a big
 * installation does not call GitHub all at once.
 */
export default (app: App) => {
  app.schedule("weekly", { cron: "0 9 * * 1", per: "repository", spread: "2h" }, remind);
};
