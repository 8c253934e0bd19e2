// npm run lab:up / npm run lab:down [-- --instance N]
import { defaultRunDir, labUnavailableReason, startLab, stopLab } from "./lab";

const [command, ...rest] = process.argv.slice(2);
const flag = rest.indexOf("--instance");
const instance = Number(flag >= 0 ? rest[flag + 1] : (process.env.CATCHMENT_LAB_INSTANCE ?? 0));
const log = (line: string) => console.log(line);

try {
  if (command === "up") {
    const reason = labUnavailableReason();
    if (reason) throw new Error(reason);
    const info = await startLab({ instance, log });
    for (const pop of info.pops) console.log(`  ${pop.code.padEnd(5)} agent ${pop.agentUrl}  BIRD ${pop.birdSocket}  (birdc -s ${pop.birdSocket} show protocols)`);
    console.log(`  clients' results: ${defaultRunDir(instance)}/clients/*.jsonl   npm run lab:down to stop`);
  } else if (command === "down") {
    await stopLab({ instance, log });
  } else {
    console.error("usage: tsx lab/cli.ts up|down [--instance N]");
    process.exit(2);
  }
} catch (error) {
  console.error(`lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
