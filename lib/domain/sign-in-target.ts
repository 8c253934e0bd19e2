// Where to send a user after sign-in. The target comes from the URL (`next`, next-auth's
// callbackUrl), so anyone can write it: it is resolved as a browser would resolve it, and kept
// only if it stays on the console's origin. Browsers read `/\evil.example` as `//evil.example`
// and drop tabs and newlines, so a prefix check on the raw string is not enough.

// Stands in for the console's origin where the caller does not know it (a page): only paths pass.
const ANY_CONSOLE_ORIGIN = "http://console.invalid";

/** A path on the console (`/pops?x=1#y`), or `/` when the target would leave it. */
export function signInTarget(target: string | null | undefined, consoleOrigin: string = ANY_CONSOLE_ORIGIN): string {
  if (!target) return "/";
  let origin: string;
  let url: URL;
  try {
    origin = new URL(consoleOrigin).origin;
    url = new URL(target, origin);
  } catch {
    return "/";
  }
  if (url.origin !== origin) return "/";
  // `/.//evil.example` normalises to the path `//evil.example`, which a browser given it as a
  // relative URL would read as another host.
  if (url.pathname.startsWith("//")) return "/";
  return url.pathname + url.search + url.hash;
}
