// `npm test`: every check, in order from fastest to slowest: types, lint, unit, integration
// (real Postgres, real agent processes), the BGP lab (real BIRD in namespaces), end to end (real Chromium). Runs them all, then
// prints one summary line with the test counts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

type Step = { name: string; command: string[]; env?: Record<string, string>; report?: string };

const REPORTS = "test-results/reports";
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const only = process.argv.slice(2);

// The machine's Debian PostgreSQL 15, where there is one: the integration tests run against it
// too, and the e2e step starts the console on it through DATABASE_URL.
const debianPostgres = spawnSync("bash", ["scripts/debian-postgres.sh"], { encoding: "utf8" });
const pg15 = debianPostgres.status === 0 ? debianPostgres.stdout.trim() : "";
if (pg15) process.env.TEST_PG15_URL = pg15;
else console.log("note: no Debian PostgreSQL 15 here; the DATABASE_URL path is tested on the embedded Postgres only.");

const allSteps: Step[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "eslint", "."] },
  {
    name: "unit",
    command: ["npx", "vitest", "run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/unit.json`],
    report: `${REPORTS}/unit.json`,
  },
  {
    name: "network",
    command: ["npx", "vitest", "run", "--project", "network", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/network.json`],
    report: `${REPORTS}/network.json`,
  },
  {
    name: "integration",
    command: ["npx", "vitest", "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/integration.json`],
    report: `${REPORTS}/integration.json`,
  },
  ...(pg15
    ? [
        <Step>{
          name: "integration-pg15",
          command: ["npx", "vitest", "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/integration-pg15.json`],
          env: { TEST_DATABASE_URL: pg15 },
          report: `${REPORTS}/integration-pg15.json`,
        },
      ]
    : []),
  {
    // Real BGP in network namespaces (lab/README.md): needs Linux, root and BIRD; skips loudly elsewhere.
    name: "lab",
    command: ["npx", "vitest", "run", "--project", "lab", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/lab.json`],
    report: `${REPORTS}/lab.json`,
  },
  {
    name: "e2e",
    command: ["npx", "playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${REPORTS}/e2e.json` },
    report: `${REPORTS}/e2e.json`,
  },
];
const steps = allSteps.filter((step) => only.length === 0 || only.includes(step.name));

type Counts = { passed: number; failed: number; skipped: number };

function countReport(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if ("numPassedTests" in report) {
    // A file that failed outside its tests (in a hook) counts as a failure too.
    return { passed: report.numPassedTests, failed: Math.max(report.numFailedTests, report.numFailedTestSuites ?? 0), skipped: report.numPendingTests + (report.numTodoTests ?? 0) };
  }
  const stats = report.stats ?? {};
  return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected ?? 0, skipped: stats.skipped ?? 0 };
}

type Failure = { name: string; message: string };

/** The failed tests a report names, each with the first lines of its error: repeated at the end so a log's tail says what failed. */
function failuresIn(file: string): Failure[] {
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, "utf8"));
  const firstLines = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "").split("\n").slice(0, 4).join("\n      ").slice(0, 600);
  if ("testResults" in report) {
    return report.testResults.flatMap((suite: { name: string; message?: string; assertionResults: Array<{ status: string; fullName: string; failureMessages: string[] }> }) => {
      const tests = suite.assertionResults
        .filter((test) => test.status === "failed")
        .map((test) => ({ name: `${path.relative(process.cwd(), suite.name)} › ${test.fullName}`, message: firstLines(test.failureMessages[0] ?? "") }));
      return tests.length === 0 && suite.message ? [{ name: path.relative(process.cwd(), suite.name), message: firstLines(suite.message) }] : tests;
    });
  }
  type Suite = { title: string; suites?: Suite[]; specs?: Array<{ title: string; file: string; line: number; tests: Array<{ status: string; results: Array<{ errors?: Array<{ message?: string }> }> }> }> };
  const walk = (suite: Suite): Failure[] => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((test) => test.status === "unexpected")
        .map((test) => ({ name: `${spec.file}:${spec.line} › ${spec.title}`, message: firstLines(test.results.at(-1)?.errors?.[0]?.message ?? "") })),
    ),
    ...(suite.suites ?? []).flatMap(walk),
  ];
  return (report.suites ?? []).flatMap(walk);
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];
const failures: Failure[] = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.command.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(step.command[0]!, step.command.slice(1), { stdio: "inherit", env: { ...process.env, ...step.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = step.report ? countReport(step.report) : null;
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  // A runner's report is believed over its exit code: a step that reports a failed test fails.
  const ok = result.status === 0 && (counts?.failed ?? 0) === 0;
  if (!ok) failedSteps.push(step.name);
  if (step.report) failures.push(...failuresIn(step.report));
  console.log(`=== ${step.name}: ${ok ? "ok" : "FAILED"} in ${seconds} s${counts ? ` (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)` : ""}`);
}

for (const failure of failures) console.log(`\n✗ ${failure.name}\n      ${failure.message}`);
console.log(failedSteps.length ? `\nFailed steps: ${failedSteps.join(", ")}` : "\nAll steps passed.");
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
