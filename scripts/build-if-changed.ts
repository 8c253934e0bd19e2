// Runs `next build` when the sources differ from those of the last build, so `npm start`
// on a fresh clone builds once and later starts are quick.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const SKIP = new Set(["node_modules", ".next", "generated"]);
const STAMP = ".next/catchment-sources";

function addFiles(hash: ReturnType<typeof createHash>, entry: string) {
  if (!existsSync(entry)) return;
  if (statSync(entry).isDirectory()) {
    for (const child of readdirSync(entry).sort()) {
      if (!SKIP.has(child) && !child.endsWith(".test.ts")) addFiles(hash, path.join(entry, child));
    }
    return;
  }
  hash.update(entry).update("\0").update(readFileSync(entry)).update("\0");
}

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const entry of SOURCES) addFiles(hash, entry);
  return hash.digest("hex");
}

export async function ensureBuild(env: NodeJS.ProcessEnv) {
  const fingerprint = sourceFingerprint();
  if (existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === fingerprint) return;
  console.log("catchment: building the console (first start, or the sources changed)…");
  const result = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(STAMP, fingerprint);
}
