import { Writable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createLogger, logFormat, type LogFormat } from "./log";

function capture(format: LogFormat) {
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  const logger = createLogger({ format, destination });
  return {
    logger,
    // The pretty format goes through a transform stream: its line arrives a few ticks later.
    async output() {
      for (let i = 0; i < 20 && !text.endsWith("\n"); i += 1) await tick();
      return text;
    },
  };
}

const secrets = { password: "hunter2-password", agentSecret: "agent-secret-value", headers: { authorization: "Bearer ctm_secret_token", cookie: "session=abc123" } };

describe("logFormat", () => {
  it("is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says", () => {
    expect(logFormat(undefined, true)).toBe("pretty");
    expect(logFormat(undefined, false)).toBe("json");
    expect(logFormat("json", true)).toBe("json");
    expect(logFormat("pretty", false)).toBe("pretty");
  });
});

describe("createLogger", () => {
  it("writes one JSON line per event, at info by default, with secrets redacted", async () => {
    const { logger, output } = capture("json");
    logger.debug({ event: "test.debug" }, "not shown at info");
    logger.info({ event: "operation.accepted", pop: "AMS1", ...secrets, user: { password: "nested-password" } }, "Drain of AMS1 accepted");
    const lines = (await output()).trim().split("\n");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, event: "operation.accepted", pop: "AMS1", msg: "Drain of AMS1 accepted", password: "[redacted]", agentSecret: "[redacted]" });
    expect(line.headers).toEqual({ authorization: "[redacted]", cookie: "[redacted]" });
    expect(line.user).toEqual({ password: "[redacted]" });
  });

  it("writes a readable line for a terminal: time, level, message and the fields, secrets redacted", async () => {
    const { logger, output } = capture("pretty");
    logger.info({ event: "signin.failed", username: "operator", ...secrets }, "Sign-in failed for operator");
    const text = await output();
    expect(text.trim().split("\n")).toHaveLength(1);
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}Z\] INFO: Sign-in failed for operator /);
    expect(text).toContain('"event":"signin.failed"');
    expect(() => JSON.parse(text)).toThrow();
    for (const value of ["hunter2-password", "agent-secret-value", "ctm_secret_token", "abc123"]) expect(text).not.toContain(value);
  });
});
