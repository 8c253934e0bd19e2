import type { SpeakerConfig } from "../config";
import { SimSpeaker } from "./sim";
import type { Speaker } from "./speaker";

export class SpeakerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpeakerUnavailableError";
  }
}

export function createSpeaker(config: SpeakerConfig): Speaker {
  switch (config.driver) {
    case "sim":
      return new SimSpeaker({ upstreams: config.upstreams, applyDelayMs: config.applyDelayMs });
    case "bird":
    case "gobgp":
    case "exabgp":
      throw new SpeakerUnavailableError(`driver ${config.driver} is not available in this build yet`);
  }
}
