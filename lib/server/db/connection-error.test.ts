import { describe, expect, it } from "vitest";
import { describeConnectionError } from "./connection-error";

const url = "postgresql://catchment:s3cret@db.example.net:6543/catchment";

describe("describeConnectionError", () => {
  it("names the host and port, never the password", () => {
    const line = describeConnectionError(url, Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    expect(line).toBe("Cannot reach Postgres at db.example.net:6543: connection refused. Is the server running? Check DATABASE_URL.");
    expect(line).not.toContain("s3cret");
  });

  it("tells a bad password from an unknown host", () => {
    expect(describeConnectionError(url, { code: "28P01" })).toContain('refused the credentials of user "catchment"');
    expect(describeConnectionError(url, { code: "ENOTFOUND" })).toContain("does not resolve");
  });

  it("rejects a URL that is not one", () => {
    expect(describeConnectionError("not a url", new Error("x"))).toMatch(/not a valid URL/);
  });
});
