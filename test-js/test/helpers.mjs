// Shared setup of the suite: the server under test comes from STRATA_URL (Strata, or the official
// Chroma server started by scripts/chroma-server), so the same expectations are checked on both.
import { ChromaClient } from "chromadb";

export const baseUrl = (() => {
  const url = process.env.STRATA_URL;
  if (!url) {
    throw new Error("STRATA_URL is not set: give the URL of the server under test, e.g. http://127.0.0.1:8000");
  }
  return url.replace(/\/$/, "");
})();

const parsed = new URL(baseUrl);
const token = process.env.STRATA_TOKEN;

export function client(extra = {}) {
  return new ChromaClient({
    host: parsed.hostname,
    port: Number(parsed.port),
    ssl: parsed.protocol === "https:",
    headers: token ? { "X-Chroma-Token": token } : undefined,
    ...extra,
  });
}

/** A collection name no other test (or earlier run against the same server) uses. */
export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const DB_PATH = "/api/v2/tenants/default_tenant/databases/default_database";

/** A raw HTTP call, for statuses and bodies the client hides behind its error classes. */
export async function raw(method, path, body, { contentType = "application/json" } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = contentType;
  if (token) headers["X-Chroma-Token"] = token;
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Squared Euclidean distance, Chroma's l2. */
export function l2(a, b) {
  return a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0);
}
