// The evidence behind a prediction, in the operator's words. Type-only imports: the browser
// shows this without loading the model.
import type { EvidenceKind } from "./model";

/**
 * What the moving answers' predictions rest on: "12 observed in an earlier operation, 30
 * inferred from topology and neighbours, 5 by RTT and distance alone". Null when nothing moves
 * or the estimate predates the split (operations recorded before the catchment model).
 */
export function evidenceSplit(prediction: { movedBy?: Record<EvidenceKind, number> }): string | null {
  const by = prediction.movedBy;
  if (!by || by.observed + by.inferred + by.fallback === 0) return null;
  return `${by.observed} observed in an earlier operation, ${by.inferred} inferred from topology and neighbours, ${by.fallback} by RTT and distance alone`;
}
