// Life cycle of a server under test: spawn from a command template, wait for its heartbeat, measure its
// process tree and data folder, stop it with SIGINT (Chroma spins on SIGTERM; the JVM runs its shutdown
// hooks on SIGINT too).
import { spawn, execFileSync } from "node:child_process";
import { openSync, closeSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Servers still running, so that an interrupted harness does not leave them behind.
const running = new Set();
let exiting = false;
async function stopAllAndExit(signal) {
  if (exiting) return;
  exiting = true;
  await Promise.all([...running].map((s) => s.stop(5000)));
  process.exit(signal === "SIGINT" ? 130 : 143);
}
process.on("SIGINT", stopAllAndExit);
process.on("SIGTERM", stopAllAndExit);
process.on("exit", () => { for (const s of running) try { process.kill(-s.child.pid, "SIGKILL"); } catch { /* gone */ } });

/** A server the harness starts itself: `{port}` and `{path}` in the template (also $PORT, $DATA_DIR) are filled in. */
export class SpawnedServer {
  constructor({ label, template, dataDir, logFile }) {
    Object.assign(this, { label, template, dataDir, logFile });
    this.child = null;
  }

  get url() { return `http://127.0.0.1:${this.port}`; }

  /** Spawns the command and returns the spawn time (performance.now()); does not wait for readiness. */
  async spawn() {
    if (exiting) throw new Error("the harness is being interrupted");
    this.port = await freePort();
    const cmd = this.template.replaceAll("{port}", String(this.port)).replaceAll("{path}", this.dataDir);
    const log = openSync(this.logFile, "a");
    const t0 = performance.now();
    // Its own process group, so one signal reaches wrappers and the server alike.
    this.child = spawn("sh", ["-c", cmd], {
      detached: true, stdio: ["ignore", log, log],
      env: { ...process.env, PORT: String(this.port), DATA_DIR: this.dataDir },
    });
    closeSync(log);
    this.exited = new Promise((resolve) => this.child.on("exit", (code, sig) => resolve({ code, sig })));
    this.exitInfo = null;
    this.exited.then((e) => { this.exitInfo = e; running.delete(this); });
    running.add(this);
    return t0;
  }

  alive() { return this.child !== null && this.exitInfo === null; }

  async waitForHeartbeat(timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (!this.alive()) throw new Error(`${this.label} exited (${JSON.stringify(this.exitInfo)}) before answering; see ${this.logFile}`);
      try {
        const res = await fetch(`${this.url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch { /* not listening yet */ }
      await sleep(25);
    }
    throw new Error(`${this.label}: no heartbeat within ${timeoutMs} ms; see ${this.logFile}`);
  }

  async stop(timeoutMs = 30000) {
    if (!this.child) return;
    const pgid = this.child.pid;
    if (this.alive()) {
      try { process.kill(-pgid, "SIGINT"); } catch { /* already gone */ }
      let timer;
      await Promise.race([this.exited, new Promise((r) => { timer = setTimeout(r, timeoutMs); })]);
      clearTimeout(timer);
    }
    // Whatever is left in the group (a server that ignored SIGINT, or outlived its wrapper) is killed.
    try { process.kill(-pgid, "SIGKILL"); } catch { /* group empty */ }
    await this.exited;
    this.child = null;
  }

  /** Memory of the server's process tree, excluding shell wrappers. */
  memory() { return this.alive() ? treeMemory(this.child.pid) : null; }

  diskBytes() { return duBytes(this.dataDir); }
}

/** A server that is already running at a URL: no restart, no memory or disk figures unless told where. */
export class ExternalServer {
  constructor({ label, url, pid, dataDir }) {
    Object.assign(this, { label, pid, dataDir });
    this.fixedUrl = url.replace(/\/+$/, "");
  }
  get url() { return this.fixedUrl; }
  memory() { return this.pid ? treeMemory(this.pid) : null; }
  diskBytes() { return this.dataDir ? duBytes(this.dataDir) : null; }
}

// Wrapper processes in the tree (sh -c, the bash launcher, curl polls) are not the server's memory.
const WRAPPERS = new Set(["sh", "bash", "dash", "timeout", "env", "curl", "sleep", "npm", "npx"]);

function readStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => { const m = text.match(new RegExp(`^${name}:\\s+(\\d+)`, "m")); return m ? Number(m[1]) : 0; };
    return { name: text.match(/^Name:\s+(.*)$/m)[1], ppid: field("PPid"), rssKb: field("VmRSS"), hwmKb: field("VmHWM") };
  } catch { return null; }
}

export function treeMemory(rootPid) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readStatus(entry);
    if (!st) continue;
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(Number(entry));
  }
  let rssKb = 0, hwmKb = 0;
  const procs = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    const st = readStatus(pid);
    if (st && !WRAPPERS.has(st.name)) { rssKb += st.rssKb; hwmKb += st.hwmKb; procs.push(`${st.name}:${pid}`); }
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return { rssMb: rssKb / 1024, peakRssMb: hwmKb / 1024, processes: procs };
}

export function duBytes(dir) {
  const out = execFileSync("du", ["-sb", dir], { encoding: "utf8" });
  return Number(out.split(/\s+/)[0]);
}

/** Sum of every series of a Prometheus counter, or null when the endpoint or the counter is absent. */
export async function scrapeCounter(metricsUrl, name) {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    const text = await res.text();
    let sum = 0, seen = false;
    for (const line of text.split("\n")) {
      if (line.startsWith("#")) continue;
      const m = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/);
      if (m && m[1] === name) { sum += Number(m[3]); seen = true; }
    }
    return seen ? sum : null;
  } catch { return null; }
}

/**
 * Strata's query stage timers (strata_query_stage_seconds{stage}): { stage: { sum, count } } in seconds,
 * or null when the endpoint has none (another server).
 */
export async function scrapeStages(metricsUrl) {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    const out = {};
    for (const line of (await res.text()).split("\n")) {
      const m = line.match(/^strata_query_stage_seconds_(sum|count)\{stage="(\w+)"\}\s+(\S+)/);
      if (m) (out[m[2]] ??= { sum: 0, count: 0 })[m[1]] = Number(m[3]);
    }
    return Object.keys(out).length ? out : null;
  } catch { return null; }
}

/** Mean microseconds per call of each stage between two scrapes, or null. */
export function stageMeansUs(before, after) {
  if (!before || !after) return null;
  const out = {};
  for (const [stage, a] of Object.entries(after)) {
    const b = before[stage] ?? { sum: 0, count: 0 };
    const n = a.count - b.count;
    if (n > 0) out[stage] = ((a.sum - b.sum) / n) * 1e6;
  }
  return out;
}
