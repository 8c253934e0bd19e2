// Runs a project script as npm would, to its end, for the CLI tests: its exit status and all
// it printed. The one way these tests start a script and read its output.
import { spawn } from "node:child_process";
import path from "node:path";

export type ScriptRun = { status: number | null; stdout: string; stderr: string };

/** The repository's root: scripts run from there, as `npm run` runs them. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** `command args…` in the repository's root with `env`; `input` (default none) goes to its stdin. */
export function runToEnd(command: string, args: string[], { env, input }: { env: NodeJS.ProcessEnv; input?: string }): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}
