// What an admin may enter for a PoP and its upstreams; shared by the server action and its tests.
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { asnInput } from "./asn";
import { recordId } from "./record-id";
import { REGIONS } from "./regions";

const requiredText = (label: string, max = 100) =>
  z.string({ error: `${label} is required.` }).trim().min(1, `${label} is required.`).max(max, `${label} is at most ${max} characters.`);

/** A number typed into a form field: "" is missing, not zero. */
const formNumber = (label: string, min: number, max: number, integer = false) =>
  z
    .union([z.string(), z.number()], { error: `${label} is required.` })
    .transform((value, context) => {
      const text = String(value).trim();
      const number = Number(text);
      if (text === "" || !Number.isFinite(number)) {
        context.addIssue({ code: "custom", message: `${label} must be a number.` });
        return z.NEVER;
      }
      if (integer && !Number.isInteger(number)) {
        context.addIssue({ code: "custom", message: `${label} must be a whole number.` });
        return z.NEVER;
      }
      if (number < min || number > max) {
        context.addIssue({ code: "custom", message: `${label} must be between ${min} and ${max}.` });
        return z.NEVER;
      }
      return number;
    });

export const upstreamInput = z.object({
  id: recordId().optional().catch(undefined),
  name: requiredText("Name"),
  kind: z.enum(["transit", "peering", "ix"], { error: "Pick transit, peering or IX." }),
  peerAsn: asnInput,
  peerAddress: z
    .string()
    .trim()
    .refine((value) => ipaddr.isValid(value) && (ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value)), "Enter the peer's IPv4 or IPv6 address.")
    .transform((value) => ipaddr.parse(value).toString()),
});

const agentUrl = z
  .string()
  .trim()
  .transform((value, context) => {
    if (value === "") return null;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: "Enter a full URL, e.g. https://ams1-agent.example.net:8443" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      context.addIssue({ code: "custom", message: "The agent URL must use http or https." });
      return z.NEVER;
    }
    if (url.username || url.password) {
      context.addIssue({ code: "custom", message: "Put no credentials in the URL: use the agent secret field." });
      return z.NEVER;
    }
    return url.toString().replace(/\/$/, "");
  });

export const popInput = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}[0-9]{1,2}$/, "A PoP code is three letters (an IATA airport code) and a number, e.g. AMS1."),
  name: requiredText("Name"),
  city: requiredText("City"),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use the two-letter ISO country code, e.g. NL."),
  latitude: formNumber("Latitude", -90, 90),
  longitude: formNumber("Longitude", -180, 180),
  region: z.enum(REGIONS, { error: "Pick a region." }),
  capacityGbps: formNumber("Capacity", 1, 100_000, true),
  status: z.enum(["active", "maintenance", "decommissioned"], { error: "Pick a status." }),
  agentUrl,
  /** Blank keeps the current secret. */
  agentSecret: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined))
    .refine((value) => value === undefined || value.length >= 32, "An agent secret is at least 32 characters."),
  identities: z
    .string()
    .optional()
    .transform((value) => [...new Set((value ?? "").split(/[\s,]+/).map((item) => item.trim()).filter(Boolean))]),
  upstreams: z.array(upstreamInput).max(32, "At most 32 upstreams.").default([]),
});

export type PopInput = z.output<typeof popInput>;
export type UpstreamInput = z.output<typeof upstreamInput>;
