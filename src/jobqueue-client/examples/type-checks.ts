// What the compiler must refuse (each line below is an error, or tsc fails on the unused directive):
// the types are the API's, not `any`.
import { createJobQueueClient } from "../src/index";

const client = createJobQueueClient({ baseUrl: "http://127.0.0.1:5080/api" });

export async function refused(): Promise<void> {
  // @ts-expect-error a route the API does not have
  await client.POST("/admin/jobs/enqueue-stats", { body: { triggeredBy: "admin" } });
  // @ts-expect-error triggeredBy is required
  await client.POST("/admin/jobs/enqueue-stats-job", { body: { matchId: "8f14e45f-ceea-467f-a8f5-7d2a4c1b9e10" } });
  // @ts-expect-error dryRun is a boolean
  await client.POST("/admin/jobs/trigger-sync", { body: { dryRun: "yes" } });
  // @ts-expect-error the health route is GET only
  await client.POST("/admin/job-queue/health", {});
}
