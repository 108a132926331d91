// Tests only (OpenApiClientTests): code a client author would write against the types generated from the API's
// OpenAPI document. It must type-check; each @ts-expect-error line must be refused by the types, or tsc fails.
import type { components, paths } from "./api";

type Report = components["schemas"]["ReportIncident"];
type Advice = components["schemas"]["GiveAdvice"];

export const report: Report = {
  specialty: "general-practice",
  channels: ["facebook", "letter"],
  concern: "amorous-advances",
  occurredOn: "2026-09-01",
  summary: "Repeated friend requests and letters.",
};

// @ts-expect-error a report without its summary
export const noSummary: Report = { specialty: "general-practice", channels: ["facebook"], concern: "amorous-advances", occurredOn: "2026-09-01" };

// @ts-expect-error a specialty that is not one of the codes
export const notACode: Report = { ...report, specialty: "astrology" };

// @ts-expect-error a null specialty
export const nullSpecialty: Report = { ...report, specialty: null };

export const advice: Advice = { advice: "Explain the boundary in writing.", actions: ["explain-boundary-in-writing"] };

// Every secured operation declares its refusals with the problem schema.
type Problem = components["schemas"]["ProblemDetails"];
export const refused: paths["/api/reports"]["post"]["responses"]["403"]["content"]["application/problem+json"] = {} as Problem;
export const created: paths["/api/reports"]["post"]["responses"]["201"]["content"]["application/json"] = { caseId: "x", version: 1 };
export type ReportKey = paths["/api/reports"]["post"]["parameters"]["header"];
export const key: ReportKey = { "Idempotency-Key": "first-report" };
export type Paging = NonNullable<paths["/api/cases"]["get"]["parameters"]["query"]>;
export const paging: Paging = { page: 2, pageSize: 50 };
// @ts-expect-error page is a number, not a string
export const pagingAsText: Paging = { page: "2" };
export const csv: paths["/api/imports/cases"]["post"]["requestBody"]["content"]["text/csv"] = "case_ref,occurred_on\n";
export const trendsCsv: paths["/api/trends"]["get"]["responses"]["200"]["content"]["text/csv"] = "specialty,count\n";
