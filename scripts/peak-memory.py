#!/usr/bin/env python3
"""Samples a JVM's resident memory every half second until it exits, split into the Java heap and the rest
(native: malloc, Arrow buffers, libstrata, RocksDB, metaspace, code, thread stacks), and prints the peaks as JSON.

    peak-memory.py PID GC_LOG        GC_LOG: the file the JVM writes with -Xlog:gc+heap+coops=debug:file=GC_LOG

The heap's address range comes from that log line ("Heap address: 0x..., size: N MB"); the resident bytes of every
mapping in /proc/PID/smaps inside the range are the heap's, the others are native. The kernel may merge the heap's
last mapping with an anonymous one right after it: the resident bytes of a mapping that crosses the range's edge
are split by the share of its span inside (an estimate, counted in "straddling_samples"), and the heap's share is
never more than the range."""
import json, os, re, sys, time

pid, log = int(sys.argv[1]), sys.argv[2]
heap = None
peak = {"rss": 0, "heap": 0, "native": 0, "samples": 0}
header = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) ")
started = time.time()
while os.path.exists(f"/proc/{pid}"):
    if heap is None and os.path.exists(log):
        m = re.search(r"Heap address: 0x([0-9a-f]+), size: (\d+) MB", open(log).read())
        if m:
            lo = int(m.group(1), 16)
            heap = (lo, lo + int(m.group(2)) * 1024 * 1024)
    total = inside = 0
    try:
        with open(f"/proc/{pid}/smaps") as f:
            share = 0.0
            straddles = False
            for line in f:
                h = header.match(line)
                if h:
                    lo, hi = int(h.group(1), 16), int(h.group(2), 16)
                    share = 0.0
                    if heap is not None and lo < heap[1] and hi > heap[0]:
                        share = (min(hi, heap[1]) - max(lo, heap[0])) / (hi - lo)
                        straddles = straddles or share < 1.0
                elif line.startswith("Rss:"):
                    kb = int(line.split()[1]) * 1024
                    total += kb
                    inside += int(kb * share)
    except (FileNotFoundError, ProcessLookupError):
        break
    if heap is not None:
        inside = min(inside, heap[1] - heap[0])
    if total:
        peak["samples"] += 1
        peak["straddling_samples"] = peak.get("straddling_samples", 0) + (1 if straddles else 0)
        peak["rss"] = max(peak["rss"], total)
        peak["heap"] = max(peak["heap"], inside)
        peak["native"] = max(peak["native"], total - inside)
    time.sleep(0.5)
peak["seconds"] = round(time.time() - started, 1)
peak["heap_range_known"] = heap is not None
print(json.dumps(peak))
