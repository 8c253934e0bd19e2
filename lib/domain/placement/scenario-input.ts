// What a placement scenario may say (issue 16): PoPs removed, candidate PoPs added at a city,
// and a steady-state prepend per PoP. Shared by the API, the page's editor and their tests.
// Which PoP codes exist is the server's check: this only says what is well formed.
import { z } from "zod";
import { asnInput } from "../asn";

const popCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}[0-9]{1,2}$/, "A PoP code is three letters and a number, e.g. AMS1.");

/** Prepends past a few change nothing more (paths are seldom longer) and only look like a mistake. */
export const MAX_SCENARIO_PREPENDS = 10;

export const candidatePopInput = z.object({
  /** The city it stands in, as the city search names it. */
  city: z.string().trim().min(1, "Pick a city.").max(100),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use the two-letter ISO country code, e.g. KE."),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  capacityGbps: z.number({ error: "Capacity is a number of Gbit/s." }).int("Capacity is a whole number of Gbit/s.").min(1, "Capacity is at least 1 Gbit/s.").max(100_000),
  upstreamAsns: z.array(asnInput).max(32, "At most 32 upstream ASNs.").default([]),
});

export const scenarioDefinition = z
  .object({
    removed: z.array(popCode).max(1000).default([]),
    added: z.array(candidatePopInput).max(20, "At most 20 candidate PoPs in one scenario.").default([]),
    prepends: z
      .array(z.object({ pop: popCode, prepends: z.number().int().min(0).max(MAX_SCENARIO_PREPENDS, `At most ${MAX_SCENARIO_PREPENDS} prepends.`) }))
      .max(1000)
      .default([]),
  })
  .superRefine((definition, context) => {
    const removed = new Set(definition.removed);
    for (const [index, { pop }] of definition.prepends.entries()) {
      if (removed.has(pop)) context.addIssue({ code: "custom", path: ["prepends", index, "pop"], message: `${pop} is removed in this scenario: it has no prepend.` });
    }
    const seen = new Set<string>();
    for (const [index, { pop }] of definition.prepends.entries()) {
      if (seen.has(pop)) context.addIssue({ code: "custom", path: ["prepends", index, "pop"], message: `${pop} has two prepends.` });
      seen.add(pop);
    }
  });

export const scenarioInput = z.object({
  name: z.string().trim().min(1, "Name the scenario.").max(100, "A name is at most 100 characters."),
  notes: z.string().max(5000, "Notes are at most 5,000 characters.").default(""),
  definition: scenarioDefinition,
});

export type CandidatePopInput = z.output<typeof candidatePopInput>;
export type ScenarioDefinition = z.output<typeof scenarioDefinition>;
export type ScenarioInput = z.output<typeof scenarioInput>;
