// @ts-check
// The security headers of the console's responses. Pages get theirs from proxy.ts, per
// request (a fresh script nonce each time); next.config.mjs puts the static ones on the rest.
// Plain JavaScript with JSDoc types, since next.config.mjs imports it as it is.

/**
 * Self only: no remote host may serve a script, style, image, font or connection. Scripts
 * also need the page's nonce when inline (Next.js puts it on its own, read from this header).
 * Styles allow inline `style` attributes (charts, map legend); a style cannot run code. The
 * map's worker is served from our origin (blob: stays allowed for a worker a library makes
 * from our own code). No page may frame the console: a drain button cannot be clickjacked.
 */
/**
 * @param {{ nonce: string; dev?: boolean }} options
 * @returns {string}
 */
export function contentSecurityPolicy({ nonce, dev = false }) {
  return [
    "default-src 'self'",
    // React's development build evaluates code to rebuild server stacks; production never does.
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For API answers (JSON, CSV): nothing may run in them or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** For the map's files: MapLibre's worker runs under its own file's policy and reads our origin only. */
export const FILE_CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'";

/** Headers every response carries. @type {{ key: string; value: string }[]} */
export const STATIC_SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/**
 * HSTS only when the console's public URL is https: over plain http it would be a lie, and ignored.
 * @param {string | undefined} publicUrl
 * @returns {string | null}
 */
export function strictTransportSecurity(publicUrl) {
  return publicUrl?.startsWith("https://") ? "max-age=31536000; includeSubDomains" : null;
}
