import { afterEach, describe, expect, it } from "vitest";
import { config, ConfigError, readConfig } from "./config";

describe("readConfig", () => {
  it("gives every default for an empty environment, and takes an empty variable as unset", () => {
    const defaults = readConfig({ CATCHMENT_AGENT_TIMEOUT_MS: "" });
    expect(defaults).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", CATCHMENT_AGENT_TIMEOUT_MS: 5000, CATCHMENT_AGENT_RETRIES: 2, DATABASE_POOL_SIZE: 10, CATCHMENT_INGEST_MAX_MB: 32, LOG_LEVEL: "info", CATCHMENT_POLLER: "on" });
    expect(defaults.DATABASE_URL).toBeUndefined();
    expect(defaults.CATCHMENT_SETTLE_SECONDS).toBeUndefined();
  });

  it("reads numbers and choices", () => {
    expect(readConfig({ CATCHMENT_AGENT_TIMEOUT_MS: "1500", CATCHMENT_INGEST_MAX_MB: "0.5", CATCHMENT_POLLER: "off", LOG_FORMAT: "json" })).toMatchObject({
      CATCHMENT_AGENT_TIMEOUT_MS: 1500,
      CATCHMENT_INGEST_MAX_MB: 0.5,
      CATCHMENT_POLLER: "off",
      LOG_FORMAT: "json",
    });
  });

  it("names every bad variable in one line, instead of letting it become NaN", () => {
    const error = (() => {
      try {
        readConfig({ CATCHMENT_AGENT_TIMEOUT_MS: "abc", PORT: "70000", LOG_LEVEL: "loud", CATCHMENT_AGENT_RETRIES: "1.5" });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT="70000" must be at most 65535',
      'CATCHMENT_AGENT_TIMEOUT_MS="abc" must be a whole number of milliseconds',
      'CATCHMENT_AGENT_RETRIES="1.5" must be a whole number of retries',
      'LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect((error as Error).message.split("\n")).toHaveLength(1);
  });

  it("names a bad secret or URL without echoing its value", () => {
    expect(() => readConfig({ NEXTAUTH_URL: "not a url with s3cret" })).toThrow(/^Configuration: NEXTAUTH_URL must be the console's public URL/);
    expect(() => readConfig({ NEXTAUTH_URL: "not a url with s3cret" })).not.toThrow(/s3cret/);
  });
});

describe("config()", () => {
  const saved = process.env.CATCHMENT_AGENT_RETRIES;
  afterEach(() => {
    if (saved === undefined) delete process.env.CATCHMENT_AGENT_RETRIES;
    else process.env.CATCHMENT_AGENT_RETRIES = saved;
  });

  it("reads this process's environment again when a variable changes", () => {
    process.env.CATCHMENT_AGENT_RETRIES = "4";
    expect(config().CATCHMENT_AGENT_RETRIES).toBe(4);
    process.env.CATCHMENT_AGENT_RETRIES = "0";
    expect(config().CATCHMENT_AGENT_RETRIES).toBe(0);
  });
});
