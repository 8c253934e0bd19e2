// Runs once when a console server process starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // A bad variable stops the server here, with one line naming it.
  const { config } = await import("./lib/config");
  config();
  const { stampClientAddresses } = await import("./lib/server/client-ip");
  stampClientAddresses();
  if (config().CATCHMENT_POLLER === "off") return;
  const { db } = await import("./lib/server/db/client");
  const { startAgentPoller } = await import("./lib/server/agents/poll-agents");
  const { startOperationSweeper } = await import("./lib/server/operations/sweep-operations");
  startAgentPoller(db);
  // Finishes the operations a console that stopped mid-way left running, so they can be retried.
  startOperationSweeper(db);
}
