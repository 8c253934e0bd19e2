import { describe, expect, it } from "vitest";
import { communitySchema, describeIssues, putAnnouncementRequestSchema } from "./schemas";

describe("communitySchema", () => {
  it.each(["65000:100", "0:0", "65535:65535", "4200000000:1:2"])("accepts %s", (value) => {
    expect(communitySchema.safeParse(value).success).toBe(true);
  });
  it.each(["65536:1", "1:65536", "4294967296:1:1", "no-export", "1:2:3:4", "1"])("rejects %s", (value) => {
    expect(communitySchema.safeParse(value).success).toBe(false);
  });
});

describe("putAnnouncementRequestSchema", () => {
  const base = { prefix: "192.0.2.0/24", reason: "maintenance", operationId: "op-1" };
  const issues = (value: unknown) => {
    const result = putAnnouncementRequestSchema.safeParse(value);
    return result.success ? "" : describeIssues(result.error);
  };

  it("accepts each state in its shape", () => {
    expect(issues({ ...base, state: "announced" })).toBe("");
    expect(issues({ ...base, state: "withdrawn", communities: ["65000:666"] })).toBe("");
    expect(issues({ ...base, state: "drained", prepend: 3 })).toBe("");
  });

  it("requires prepend when drained, and only then", () => {
    expect(issues({ ...base, state: "drained" })).toBe("prepend: required when state is drained");
    expect(issues({ ...base, state: "announced", prepend: 2 })).toBe("prepend: allowed only when state is drained");
    expect(issues({ ...base, state: "drained", prepend: 17 })).toContain("prepend: Too big");
    expect(issues({ ...base, state: "drained", prepend: 0 })).toContain("prepend: Too small");
  });

  it("names each bad field", () => {
    const message = issues({ prefix: "192.0.2.1/24", state: "withdrawn", reason: "", operationId: "x".repeat(101), communities: ["x"], extra: 1 });
    expect(message).toContain("prefix: 192.0.2.1/24 has host bits set: did you mean 192.0.2.0/24?");
    expect(message).toContain("reason: Too small");
    expect(message).toContain("operationId: Too big");
    expect(message).toContain('communities.0: expected "asn:value"');
    expect(message).toContain('Unrecognized key: "extra"');
  });

  it("rejects an unknown state", () => {
    expect(issues({ ...base, state: "paused" })).toContain("state:");
  });
});
