import type { SpeakerConfig } from "../config";
import { BirdSpeaker } from "./bird";
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
      return new SimSpeaker({ upstreams: config.upstreams, applyDelayMs: config.applyDelayMs, asn: config.asn });
    case "bird":
      return new BirdSpeaker({ socket: config.socket, includeFile: config.includeFile, birdc: config.birdc, asn: config.asn });
    case "gobgp":
    case "exabgp":
      throw new SpeakerUnavailableError(`driver ${config.driver} is not available in this build yet`);
  }
}
