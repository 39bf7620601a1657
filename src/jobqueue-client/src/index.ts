// A typed client for JobQueue's admin and runner API. The types (schema.d.ts) are generated from the
// API's OpenAPI document (src/JobQueue/Api/openapi.json, served at /api/openapi.json) by
// openapi-typescript: `npm run generate`. Calls go through openapi-fetch: paths, bodies, query
// parameters and answers are checked by the compiler.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths };

/** A problem+json answer (400 names each bad field in `errors`). */
export type Problem = components["schemas"]["ProblemDetails"];

export interface JobQueueClientOptions {
  /** The API's base address including `/api`, e.g. `https://jobqueue.example.com/api` or `http://127.0.0.1:5080/api`. */
  baseUrl: string;
  /** The admin token (Authorization: Bearer): server-side only, never in a browser bundle. */
  adminToken?: string;
  /** The runner secret (x-job-runner-secret), for `/jobs/run` only. */
  runnerSecret?: string;
  /** On Azure Functions, a function key (x-functions-key) for routes that need one. */
  functionKey?: string;
  /** A fetch of your own (tests, Next.js' extended fetch). */
  fetch?: typeof globalThis.fetch;
}

/** The client: `client.POST("/admin/jobs/enqueue-stats-job", { body: {...} })` answers `{ data, error, response }`. */
export function createJobQueueClient(options: JobQueueClientOptions): Client<paths> {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const credentials: Middleware = {
    onRequest({ request, schemaPath }) {
      if (schemaPath === "/jobs/run") {
        if (options.runnerSecret) request.headers.set("x-job-runner-secret", options.runnerSecret);
      } else if (options.adminToken) {
        request.headers.set("Authorization", `Bearer ${options.adminToken}`);
      }
      if (options.functionKey) request.headers.set("x-functions-key", options.functionKey);
      return request;
    },
  };
  client.use(credentials);
  return client;
}

/** The message of a failed call: the problem's field errors, else its detail or title. */
export function describeProblem(problem: Problem | undefined, response: Response): string {
  const fields = Object.entries(problem?.errors ?? {}).map(([field, reasons]) => `${field}: ${reasons.join("; ")}`);
  return fields.length > 0 ? fields.join(", ") : problem?.detail ?? problem?.title ?? `HTTP ${response.status}`;
}
