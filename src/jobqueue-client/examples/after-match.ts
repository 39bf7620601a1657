// Seed 004's post-match call and the admin page's sync button, on the typed client. In a Next.js app
// this runs on the server (a route handler or a server action), where the admin token lives in an
// environment variable; the browser never sees it.
import { createJobQueueClient, describeProblem } from "../src/index";

const jobQueue = createJobQueueClient({
  baseUrl: process.env.JOBQUEUE_URL ?? "http://127.0.0.1:5080/api",
  adminToken: process.env.JOBQUEUE_ADMIN_TOKEN ?? "",
});

/** After a match is saved: one stats_update run (joins a run already queued for the same trigger). */
export async function enqueueStatsAfterMatch(matchId: string, requestId: string): Promise<string> {
  const { data, error, response } = await jobQueue.POST("/admin/jobs/enqueue-stats-job", {
    body: { triggeredBy: "post-match", matchId, requestId },
  });
  if (error !== undefined || data === undefined) {
    throw new Error(`stats job not enqueued: ${describeProblem(error, response)}`);
  }
  return data.joined ? `joined run ${data.jobId}` : `queued run ${data.jobId}`;
}

/** The admin page's "Sync now" for one coach (a dry run first, to show what it would do). */
export async function triggerSync(coachId: string, dryRun: boolean): Promise<string> {
  const { data, error, response } = await jobQueue.POST("/admin/jobs/trigger-sync", { body: { coachId, dryRun } });
  if (error !== undefined || data === undefined) {
    throw new Error(`sync not triggered: ${describeProblem(error, response)}`);
  }
  return data.jobId;
}

/** The status table that replaced background_job_status: the latest stats runs. */
export async function latestStatsRuns(): Promise<Array<{ jobId: string; status: string }>> {
  const { data, error, response } = await jobQueue.GET("/admin/stats-jobs", { params: { query: { limit: 10 } } });
  if (error !== undefined || data === undefined) {
    throw new Error(`stats runs not read: ${describeProblem(error, response)}`);
  }
  return data.runs.map((run) => ({ jobId: run.jobId, status: run.status }));
}
