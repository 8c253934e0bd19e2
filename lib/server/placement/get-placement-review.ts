import "server-only";
import { config } from "@/lib/config";
import { cityIndex } from "@/lib/demo/cities";
import { routingOf } from "@/lib/domain/catchment/console-state";
import { buildCapacityModel } from "@/lib/domain/operations/capacity";
import { nMinusOne, nMinusOneAfter, type NMinusOneRow } from "@/lib/domain/placement/n-minus-one";
import { serviceQuality, type ServiceQuality } from "@/lib/domain/placement/quality";
import { evaluateScenario, type ResolvedScenario, type ScenarioResult } from "@/lib/domain/placement/scenario";
import type { ScenarioDefinition } from "@/lib/domain/placement/scenario-input";
import { findPlace, largestPlaces } from "@/lib/domain/placement/city-search";
import { recommendationSteps, removalCosts, type Objective } from "@/lib/domain/placement/recommend";
import { loadCatchmentAnswers, loadOperationHistory, loadPopLoads } from "../catchment/load-catchment-facts";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";
import { loadAnnouncements } from "../operations/operation-context";
import { log } from "../log";
import { sharedResults } from "../shared-result";
import { loadPopPeaks } from "./load-pop-peaks";

// What /placement and GET /api/v1/placement/... show, read from the database and computed by
// lib/domain/placement.

/** A PoP announcing the reviewed prefix, where the map puts it. */
export type QualityMapPop = { id: number; code: string; lat: number; lon: number };

export type PrefixChoice = { id: number; cidr: string; service: string };

/** The prefixes a review can be about, and the one asked for (by id or CIDR), else the first. */
export async function choosePrefix(db: Db | Tx, asked: string | undefined): Promise<{ prefixes: PrefixChoice[]; prefix: PrefixChoice | null }> {
  const prefixes = await db.prefix.findMany({ select: { id: true, cidr: true, service: true }, orderBy: [{ service: "asc" }, { cidr: "asc" }] });
  if (!asked) return { prefixes, prefix: prefixes[0] ?? null };
  const prefix = prefixes.find((p) => String(p.id) === asked || p.cidr === asked.toLowerCase());
  if (!prefix) throw new AppError("not_found", `There is no prefix ${asked}.`);
  return { prefixes, prefix };
}

/**
 * Service quality of one prefix's measured catchment: each located probe's latest answer
 * against the PoPs announcing the prefix now (drained ones too: they still announce).
 */
export async function getServiceQuality(db: Db | Tx, prefixId: number): Promise<ServiceQuality & { pops: QualityMapPop[] }> {
  const [answers, announcements, pops] = await Promise.all([
    loadCatchmentAnswers(db, [prefixId]),
    loadAnnouncements(db, [prefixId]),
    db.pop.findMany({ where: { status: { not: "decommissioned" } }, select: { id: true, code: true, latitude: true, longitude: true } }),
  ]);
  const announcing = new Set(routingOf(announcements, prefixId).filter((routing) => routing.state !== "withdrawn").map((routing) => routing.popId));
  const quality = serviceQuality(
    // Answers from scans that placed no client (Verfploeter /24s without a geolocation) come grouped, without a probe: not here.
    answers.flatMap((answer) =>
      answer.probeId === null ? [] : [{ probeId: answer.probeId, location: answer.lat !== null && answer.lon !== null ? { lat: answer.lat, lon: answer.lon } : null, country: answer.country, asn: answer.asn ?? null, popId: answer.popId, rttMs: answer.rttMs ?? null }],
    ),
    pops.filter((pop) => announcing.has(pop.id)).map((pop) => ({ id: pop.id, code: pop.code, location: { lat: pop.latitude, lon: pop.longitude } })),
  );
  return { ...quality, pops: pops.filter((pop) => announcing.has(pop.id)).map((pop) => ({ id: pop.id, code: pop.code, lat: pop.latitude, lon: pop.longitude })) };
}

/** Every prefix's capacity model with each PoP at its peak of the last 7 days: what N-1 and scenarios evaluate on. */
async function buildReviewModel(db: Db | Tx, now: Date) {
  const prefixes = await db.prefix.findMany({ select: { id: true, cidr: true, safetyFloor: true } });
  const prefixIds = prefixes.map((prefix) => prefix.id);
  const peaks = new Map((await loadPopPeaks(db, now)).map((peak) => [peak.popId, peak.peak7d?.bps ?? 0]));
  const announcements = await loadAnnouncements(db, prefixIds);
  const [pops, answers, history] = await Promise.all([
    loadPopLoads(db, (popId) => peaks.get(popId) ?? 0),
    loadCatchmentAnswers(db, prefixIds),
    loadOperationHistory(db, prefixIds, announcements),
  ]);
  return { built: buildCapacityModel(prefixIds, announcements, answers, pops, history), announcements, prefixes, pops };
}

type ReviewModel = Awaited<ReturnType<typeof buildReviewModel>>;

/**
 * A built review model serves for CATCHMENT_PLACEMENT_MODEL_MS (then as long again while a fresh
 * one is built in the background): building it reads every answer and fits every prefix's
 * model, most of a scenario's cost, and a review of peaks over 7 days does not need the answers
 * of this very minute.
 */
const reviewModels = new WeakMap<Db | Tx, ReturnType<typeof sharedResults<ReviewModel>>>();

/**
 * The review model as of `now` when given (built for it), else the one shared by every request
 * on `db` (see above). `prefixId`: the prefix the caller reviews; one added since the shared
 * model was built gets a model built now, so a new prefix is reviewed, not refused.
 */
async function loadReviewModel(db: Db | Tx, { now, prefixId }: { now?: Date; prefixId?: number } = {}): Promise<ReviewModel> {
  if (now) return buildReviewModel(db, now);
  let shared = reviewModels.get(db);
  if (!shared) {
    shared = sharedResults<ReviewModel>({ ttlMs: () => config().CATCHMENT_PLACEMENT_MODEL_MS, maxKeys: 1 });
    reviewModels.set(db, shared);
  }
  const model = await shared("review", () => buildReviewModel(db, new Date()));
  return prefixId === undefined || model.built.prefixes.has(prefixId) ? model : buildReviewModel(db, new Date());
}

/** The N-1 table over every prefix, each PoP at its peak of the last 7 days. */
export async function getNMinusOne(db: Db | Tx, now?: Date): Promise<NMinusOneRow[]> {
  const { built, announcements, prefixes, pops } = await loadReviewModel(db, { now });
  return nMinusOne(
    built,
    announcements,
    new Map(prefixes.map((prefix) => [prefix.id, prefix])),
    new Map(pops.map((pop) => [pop.id, pop.code])),
  );
}

export type ScenarioReview = ScenarioResult & {
  /** PoP codes the scenario names that the fleet no longer has: left out. */
  unknownPops: string[];
  /** The N-1 table with the scenario in place, each PoP at its 7-day peak. */
  nMinusOne: NMinusOneRow[];
};

/**
 * A scenario's predicted result at the 7-day peak: RTTs and catchment of the reviewed prefix,
 * loads over every prefix, and the N-1 table after the change. PoP codes the fleet no longer
 * has are left out, and said so.
 */
export async function getScenarioResult(db: Db | Tx, definition: ScenarioDefinition, reviewedPrefixId: number, now?: Date): Promise<ScenarioReview> {
  const { built, announcements, prefixes, pops } = await loadReviewModel(db, { now, prefixId: reviewedPrefixId });
  const idOf = new Map(pops.map((pop) => [pop.code, pop.id]));
  const unknownPops = [...new Set([...definition.removed, ...definition.prepends.map((p) => p.pop)])].filter((code) => !idOf.has(code));
  const scenario: ResolvedScenario = {
    removed: definition.removed.flatMap((code) => (idOf.has(code) ? [idOf.get(code)!] : [])),
    prepends: new Map(definition.prepends.flatMap((p) => (idOf.has(p.pop) ? [[idOf.get(p.pop)!, p.prepends] as const] : []))),
    // Candidates get negative ids, which no stored PoP has.
    candidates: definition.added.map((pop, index) => ({
      id: -(index + 1),
      name: `${pop.city} (new)`,
      location: { lat: pop.latitude, lon: pop.longitude },
      capacityBps: pop.capacityGbps * 1e9,
      upstreamAsns: pop.upstreamAsns,
    })),
  };
  const announcing = new Map([...built.prefixes.keys()].map((prefixId) => [prefixId, new Set(routingOf(announcements, prefixId).filter((r) => r.state !== "withdrawn").map((r) => r.popId as number))]));
  return {
    ...evaluateScenario(built, scenario, announcing, reviewedPrefixId),
    unknownPops,
    nMinusOne: nMinusOneAfter(built, scenario, announcing, announcements, new Map(prefixes.map((prefix) => [prefix.id, prefix])), new Map(pops.map((pop) => [pop.id, pop.code]))),
  };
}

export type RecommendationRequest = { prefix?: string; k: number; objective: Objective; cities?: string[] };

/** Default candidates: the 1,000 largest cities of the dataset. */
const DEFAULT_CANDIDATES = 1000;

/**
 * New sites ranked for a prefix, as NDJSON lines: `{"progress":{done,total}}` while it computes,
 * then `{"result":{prefix,objective,k,candidates,unknownCities,sets,removals}}`, or `{"error":…}`.
 * A pasted city list ("Nairobi, KE" per line) replaces the default candidates; lines that name
 * no city are returned in `unknownCities`.
 */
export async function streamRecommendations(db: Db | Tx, request: RecommendationRequest): Promise<ReadableStream<Uint8Array>> {
  const { prefix } = await choosePrefix(db, request.prefix);
  if (!prefix) throw new AppError("not_found", "The fleet has no prefix yet.");
  const cities = cityIndex();
  const unknownCities: string[] = [];
  const candidates = request.cities?.length
    ? request.cities.flatMap((line) => {
        const found = findPlace(cities, line);
        if (!found) unknownCities.push(line);
        return found ? [found] : [];
      })
    : largestPlaces(cities, DEFAULT_CANDIDATES);
  if (candidates.length === 0) throw new AppError("invalid_input", `None of the cities given is in the dataset: ${unknownCities.slice(0, 5).join("; ")}.`);
  const { built, announcements } = await loadReviewModel(db, { prefixId: prefix.id });
  const announcing = new Set(routingOf(announcements, prefix.id).filter((r) => r.state !== "withdrawn").map((r) => r.popId as number));
  const encoder = new TextEncoder();
  const line = (value: unknown) => encoder.encode(`${JSON.stringify(value)}\n`);
  const steps = recommendationSteps(built, prefix.id, candidates, { k: request.k, objective: request.objective });
  return new ReadableStream({
    async pull(controller) {
      try {
        const step = steps.next();
        if (!step.done) {
          controller.enqueue(line({ progress: step.value }));
          // Let the line go out before the next batch of candidates is computed.
          await new Promise((resolve) => setImmediate(resolve));
          return;
        }
        const removals = removalCosts(built, prefix.id, announcing, request.objective);
        controller.enqueue(line({ result: { prefix, objective: request.objective, k: request.k, candidates: candidates.length, unknownCities, sets: step.value, removals } }));
        controller.close();
      } catch (error) {
        log.error({ err: error }, "placement recommendation failed");
        controller.enqueue(line({ error: { message: "The recommendation failed on the server. It has been logged; try again." } }));
        controller.close();
      }
    },
  });
}
