// `node --import tsx test/support/check-console-ports.ts <port> <pgPort> <agentBasePort>`:
// exits 1, saying which port another program holds, before a console is started on them
// (Playwright's webServer command; startConsole checks by itself).
import { consolePorts } from "./console-process";
import { assertPortsFree } from "./ports";

const [port, pgPort, agentBasePort] = process.argv.slice(2).map(Number);
if (!port || !pgPort || !agentBasePort) {
  console.error("usage: check-console-ports.ts <port> <pgPort> <agentBasePort>");
  process.exit(2);
}
try {
  await assertPortsFree(consolePorts({ port, pgPort, agentBasePort }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
