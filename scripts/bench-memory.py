#!/usr/bin/env python3
"""Starts a Strata node, loads N x D random vectors over HTTP, and prints its memory breakdown
(strata_memory_bytes) after ingest, after the backlog is compacted, and after queries."""
import json, os, random, re, shutil, subprocess, sys, tempfile, time, urllib.request

N = int(os.environ.get("N", "10000")); D = int(os.environ.get("D", "384")); Q = int(os.environ.get("Q", "2000"))
label = sys.argv[1] if len(sys.argv) > 1 else "run"
out = sys.argv[2] if len(sys.argv) > 2 else "."
path = tempfile.mkdtemp(prefix=f"strata-memory-{label}-")
cp = os.environ["STRATA_CP"]
flags = os.environ["STRATA_JVM_FLAGS"].split() + os.environ["STRATA_NODE_JVM_FLAGS"].split() + os.environ.get("STRATA_JAVA_OPTS", "").split()
cmd = ["java"] + flags + ["-cp", cp, "dev.strata.cli.Main", "serve", "--port", "0", "--path", path]
env = dict(os.environ, STRATA_LOG_LEVEL="WARN")
spawned = time.time()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(os.path.join(out, f"memory-{label}.log"), "w"), env=env, text=True)
url = p.stdout.readline().strip().split(" on ")[1]
listening_s = time.time() - spawned
DB = url + "/api/v2/tenants/default_tenant/databases/default_database"

def call(method, u, body=None):
    data = None if body is None else json.dumps(body).encode()
    r = urllib.request.urlopen(urllib.request.Request(u, data=data, method=method, headers={"Content-Type": "application/json"}))
    return r.read().decode()

def scrape():
    text = call("GET", url + "/metrics")
    parts = {m.group(1): float(m.group(2)) for m in re.finditer(r'^strata_memory_bytes\{part="([^"]+)"\} (\S+)', text, re.M)}
    details = {m.group(1): float(m.group(2)) for m in re.finditer(r'^strata_memory_detail_bytes\{what="([^"]+)"\} (\S+)', text, re.M)}
    rss = float(re.search(r'^strata_memory_rss_bytes (\S+)', text, re.M).group(1))
    tail = float(re.search(r'^strata_tail_records (\S+)', text, re.M).group(1))
    running = float(re.search(r'^strata_compaction_running (\S+)', text, re.M).group(1))
    inserted = re.search(r'^strata_warm_index_inserted_total (\S+)', text, re.M)
    return dict(rss=rss, parts=parts, details=details, tail=tail, running=running,
                warm_inserted=float(inserted.group(1)) if inserted else 0.0)

rng = random.Random(42)
cid = json.loads(call("POST", DB + "/collections", {"name": "rss", "get_or_create": True}))["id"]
coll = DB + "/collections/" + cid
snaps = {}
snaps["started"] = scrape()
B = 1000
for s in range(0, N, B):
    ids = [f"r{i}" for i in range(s, min(N, s + B))]
    vecs = [[rng.random() for _ in range(D)] for _ in ids]
    call("POST", coll + "/add", {"ids": ids, "embeddings": vecs, "documents": [f"doc {i}" for i in ids], "metadatas": [{"i": i} for i in range(len(ids))]})
ingest_s = time.time() - spawned - listening_s
snaps["after ingest"] = scrape()
t0 = time.time()
while time.time() - t0 < 300:
    m = scrape()
    if m["tail"] == 0 and m["running"] == 0:
        break
    time.sleep(1)
time.sleep(2)
snaps["backlog compacted"] = scrape()
for i in range(Q):
    call("POST", coll + "/query", {"query_embeddings": [[rng.random() for _ in range(D)]], "n_results": 10})
snaps[f"after {Q} queries"] = scrape()
# A collection of at least 5,000 vectors gets a warm HNSW graph, built in the background (20-30 s of both cores at
# 100k x 384): once it holds every vector, queries search it instead of the clustered index's posting blocks.
t0 = time.time()
while N >= 5000 and time.time() - t0 < 300 and scrape()["warm_inserted"] < N:
    time.sleep(1)
graph_s = time.time() - t0
for i in range(Q // 4):
    call("POST", coll + "/query", {"query_embeddings": [[rng.random() for _ in range(D)]], "n_results": 10})
snaps["graph built"] = scrape()
# What `strata stats --metrics` prints for the node now.
stats = subprocess.run(["java"] + os.environ["STRATA_JVM_FLAGS"].split() + ["-cp", cp, "dev.strata.cli.Main", "stats",
                        "--metrics", url + "/metrics"], capture_output=True, text=True, env=env)
with open(os.path.join(out, f"memory-{label}-stats.txt"), "w") as f:
    f.write(stats.stdout + stats.stderr)
if os.environ.get("NMT"):  # with STRATA_JAVA_OPTS=-XX:NativeMemoryTracking=summary: the JVM's own view, to compare
    with open(os.path.join(out, f"memory-{label}.nmt"), "w") as f:
        f.write(subprocess.run(["jcmd", str(p.pid), "VM.native_memory", "summary"], capture_output=True, text=True).stdout)
p.terminate(); p.wait(30)
shutil.rmtree(path, ignore_errors=True)
with open(os.path.join(out, f"memory-{label}.json"), "w") as f:
    json.dump(dict(listening_s=listening_s, ingest_s=ingest_s, graph_wait_s=graph_s, snapshots=snaps), f, indent=1)
cols = list(snaps)
mib = lambda b: f"{b / 1048576:.1f}"
print(f"{label}: listening {listening_s:.2f} s after spawn, {N} records added in {ingest_s:.1f} s, "
      f"warm graph complete {graph_s:.0f} s after the queries (then {Q // 4} more queries)")
print(f"| MiB ({label}) | " + " | ".join(cols) + " |")
print("|---|" + "---|" * len(cols))
print("| **rss** | " + " | ".join(mib(snaps[c]["rss"]) for c in cols) + " |")
for part in snaps[cols[-1]]["parts"]:
    print(f"| {part} | " + " | ".join(mib(snaps[c]["parts"].get(part, 0)) for c in cols) + " |")
for what in snaps[cols[-1]]["details"]:
    print(f"| ({what}) | " + " | ".join(mib(snaps[c]["details"].get(what, 0)) for c in cols) + " |")
