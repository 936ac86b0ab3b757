#!/usr/bin/env python3
"""Samples a JVM's resident memory every half second until it exits, split into the Java heap and the rest
(native: malloc, Arrow buffers, libstrata, RocksDB, metaspace, code, thread stacks), and prints the peaks as JSON.

    peak-memory.py PID GC_LOG        GC_LOG: the file the JVM writes with -Xlog:gc+heap+coops=debug:file=GC_LOG

The heap's address range comes from that log line ("Heap address: 0x..., size: N MB"); the resident bytes of every
mapping in /proc/PID/smaps inside the range are the heap's, the others are native."""
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
            in_heap = False
            for line in f:
                h = header.match(line)
                if h:
                    lo = int(h.group(1), 16)
                    in_heap = heap is not None and heap[0] <= lo < heap[1]
                elif line.startswith("Rss:"):
                    kb = int(line.split()[1]) * 1024
                    total += kb
                    if in_heap:
                        inside += kb
    except (FileNotFoundError, ProcessLookupError):
        break
    if total:
        peak["samples"] += 1
        peak["rss"] = max(peak["rss"], total)
        peak["heap"] = max(peak["heap"], inside)
        peak["native"] = max(peak["native"], total - inside)
    time.sleep(0.5)
peak["seconds"] = round(time.time() - started, 1)
peak["heap_range_known"] = heap is not None
print(json.dumps(peak))
