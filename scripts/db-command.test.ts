import { afterEach, describe, expect, it, vi } from "vitest";
import { runDbCommand, UsageError } from "./db-command";

const saved = process.env.DATABASE_URL;
afterEach(() => {
  process.env.DATABASE_URL = saved;
  vi.restoreAllMocks();
});

function captureErrors() {
  return vi.spyOn(console, "error").mockImplementation(() => {});
}

describe("runDbCommand", () => {
  it("says in one line that Postgres cannot be reached, without the password, and exits 1", async () => {
    process.env.DATABASE_URL = "postgresql://catchment:s3cret@127.0.0.1:1/catchment";
    const errors = captureErrors();
    const run = vi.fn(async () => "ran");
    expect(await runDbCommand("user", "usage: …", [], () => ({}), run)).toBe(1);
    expect(run).not.toHaveBeenCalled();
    expect(errors.mock.calls).toEqual([["catchment user: Cannot reach Postgres at 127.0.0.1:1: connection refused. Is the server running? Check DATABASE_URL."]]);
  });

  it("answers wrong arguments with the usage and exits 2, before any database", async () => {
    delete process.env.DATABASE_URL;
    const errors = captureErrors();
    const parse = () => {
      throw new UsageError("give a command");
    };
    expect(await runDbCommand("token", "usage: npm run token -- …", [], parse, async () => "ran")).toBe(2);
    expect(errors.mock.calls).toEqual([["catchment token: give a command\nusage: npm run token -- …"]]);
  });
});
