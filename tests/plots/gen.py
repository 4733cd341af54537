#!/usr/bin/env python3
# gen.py - regenerate the sample output directory used by tests/unit/test_plot.c.
#
# A toy model, not segsim: h1 -> r1 -> r2 -> h2, bottleneck r1-r2 (2 Mb/s,
# RED limit 30, min_th 5, max_th 15, wq 0.02) then r2-h2 (1.9 Mb/s,
# drop-tail limit 8).  u1 is CBR 1000 B every 10 ms for 0..4 s (0.8 Mb/s, so
# every 20 ms throughput bin holds exactly two datagrams); u2 sends 1200 B
# datagrams as a Poisson process at 1.5 Mb/s from 1 s to 3 s.  Run from this
# directory: python3 gen.py.  Output is deterministic (fixed seed).
# summary.json holds only what plot.c reads from it (duration_s: 4.1 s, so
# the 20 ms throughput bins end exactly at the end of the run).
import heapq, random, os

random.seed(7)
NS = 1_000_000_000
def fmt(t): return "%d.%09d" % (t // NS, t % NS)

pkts = []                       # (send time ns, flow, seq, len)
for k in range(400):
    pkts.append((k * 10_000_000, "u1", k, 1000))
t, k = 1 * NS, 0
while True:
    t += int(random.expovariate(1.5e6 / 8 / 1200) * NS)
    if t >= 3 * NS: break
    pkts.append((t, "u2", k, 1200)); k += 1
pkts.sort()

prop = 5_000_000                 # per hop
rows_pk, rows_udp = [], {"u1": [], "u2": []}

class Queue:
    def __init__(s, name, node, bps, kind, limit, **red):
        s.name, s.node, s.bps, s.kind, s.limit, s.red = name, node, bps, kind, limit, red
        s.q, s.free, s.avg, s.bytes, s.rows = [], 0, 0.0, 0, []
    def log(s, t):
        s.rows.append((t, len(s.q), s.bytes, s.avg if s.kind == "red" else len(s.q)))

def run(q, arrivals):
    """arrivals: list of (time, pkt).  Returns departures (time, pkt)."""
    out, ev, n = [], [], 0
    for a in arrivals: heapq.heappush(ev, (a[0], 1, n, a[1])); n += 1
    busy_until = 0
    while ev:
        t, kind, _, p = heapq.heappop(ev)
        if kind == 0:                               # transmission done
            q.q.pop(0); q.bytes -= p[3] + 28
            rows_pk.append((t, "-", q.node, q.name, p))
            out.append((t + prop, p)); q.log(t)
            if q.q:
                nxt = q.q[0]
                heapq.heappush(ev, (t + (nxt[3] + 28) * 8 * NS // q.bps, 0, n, nxt)); n += 1
            continue
        drop = len(q.q) >= q.limit
        if q.kind == "red":
            q.avg += q.red["wq"] * (len(q.q) - q.avg)
            if not drop and q.avg >= q.red["max_th"]:
                drop = True
            elif not drop and q.avg >= q.red["min_th"]:
                pb = 0.1 * (q.avg - q.red["min_th"]) / (q.red["max_th"] - q.red["min_th"])
                drop = random.random() < pb
        if drop:
            rows_pk.append((t, "d", q.node, q.name, p)); q.log(t)
            continue
        rows_pk.append((t, "+", q.node, q.name, p))
        q.q.append(p); q.bytes += p[3] + 28; q.log(t)
        if len(q.q) == 1:
            heapq.heappush(ev, (t + (p[3] + 28) * 8 * NS // q.bps, 0, n, p)); n += 1
    return sorted(out, key=lambda x: x[0])

red = Queue("r1-r2", "r1", 2_000_000, "red", 30, min_th=5, max_th=15, wq=0.02)
dt = Queue("r2-h2", "r2", 1_900_000, "droptail", 8)
mid = run(red, [(p[0] + prop, p) for p in pkts])     # h1-r1 is fast
for t, p in mid: rows_pk.append((t, "r", "r2", "r1-r2", p))
end = run(dt, mid)
for t, p in end:
    rows_pk.append((t, "r", "h2", "r2-h2", p))
    rows_udp[p[1]].append((t, p[2], t - p[0], p[3]))
# one drop that belongs to no queue (link "-"), as a loss model would write it
rows_pk.append((2_500_000_000, "d", "h1", "-", (0, "u1", 250, 1000)))

os.makedirs("queues", exist_ok=True); os.makedirs("udp", exist_ok=True)
for q, params in ((red, "type=red limit_pkts=30 limit_bytes=0 min_th=5 max_th=15"),
                  (dt, "type=droptail limit_pkts=8 limit_bytes=0")):
    with open("queues/%s.tsv" % q.name, "w") as f:
        f.write("# time len_pkts len_bytes avg_pkts\n# queue %s %s\n" % (q.name, params))
        for t, n, b, a in q.rows:
            f.write("%s\t%d\t%d\t%.3f\n" % (fmt(t), n, b, a))
for name, rows in rows_udp.items():
    with open("udp/%s.tsv" % name, "w") as f:
        f.write("# time seq delay_s len\n")
        for t, s, d, l in rows:
            f.write("%s\t%d\t%s\t%d\n" % (fmt(t), s, fmt(d), l))
with open("packets.tsv", "w") as f:
    f.write("# time event node link flow seq ack len flags\n")
    for t, e, node, link, p in sorted(rows_pk, key=lambda r: r[0]):
        f.write("%s\t%s\t%s\t%s\t%s\t%d\t-\t%d\t-\n" % (fmt(t), e, node, link, p[1], p[2], p[3]))
with open("summary.json", "w") as f:
    f.write('{\n  "scenario": "plot-sample",\n  "seed": 7,\n  "duration_s": 4.1\n}\n')
