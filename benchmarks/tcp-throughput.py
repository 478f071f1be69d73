#!/usr/bin/env python3
"""TCP throughput each way: mirage4j's direct stack over a tap device vs Linux<->Linux over a veth pair, same run.

The same Java program (benchmarks' TcpBulk) is the sink and the source on both sides; only its stack differs:
  - direct: TcpBulk on the direct stack, attached to tap0 in a namespace; the kernel's end of the tap is 10.0.0.1;
  - linux:  TcpBulk on host sockets in one namespace, the kernel's stack; a veth pair to a second namespace.
The peer is socat on the kernel's stack in both cases (the far end of the tap, the far end of the veth):
  in:  head -c BYTES /dev/zero | socat -u - TCP:<program>:5001     (program counts to the FIN)
  out: socat -u TCP-LISTEN:5002 - | wc -c                           (program sends BYTES, waits for socat's FIN)
Runs alternate between the two sides, so load on the machine hits both alike; medians and their ratio go into
BENCHMARKS.md. With profiling (the default), the direct stack's JVMs record JFR, summarised into BENCHMARKS.md and
kept in benchmarks/target/jfr/.

Usage: sudo benchmarks/tcp-throughput.py [RUNS] [--mib=MIB] [--no-profile]   (default 5 runs of 1024 MiB each way)
Needs root, socat, iproute2 (iperf3, if present, adds a row for scale); everything it makes is removed on exit, Ctrl-C included.
"""
import json, os, re, shutil, subprocess, sys, time
import benchlib as b

SCRIPT = "tcp-throughput"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 5
    mib = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--mib=")), 1024)
    profile = "--no-profile" not in sys.argv
    size = mib << 20
    b.need_root(SCRIPT); b.need(SCRIPT, "socat", "socat"); b.need(SCRIPT, "ip", "iproute2")
    b.terminate_on_signals()
    cp = b.build_benchmarks(SCRIPT)
    jfr_dir = os.path.join(b.BENCH, "target", "jfr")
    os.makedirs(jfr_dir, exist_ok=True)
    figures = {"in": {"direct": [], "linux": []}, "out": {"direct": [], "linux": []}}
    stats = {}
    with b.Namespaces("bench-tput") as spaces:
        t = spaces.add("tap")
        a = spaces.add("peer")
        l = spaces.add("linux")
        b.tap(spaces, t, "10.0.0.1/24")
        b.veth_pair(spaces, a, "10.0.1.1/24", l, "10.0.1.2/24")

        def bulk(ns, stack, mode, jfr, *extra):
            java = [b.JAVA, "--enable-native-access=ALL-UNNAMED", "-Xmx512m"]
            if jfr and profile:
                java += b.jfr_options(os.path.join(jfr_dir, jfr))
            command = java + ["-cp", cp, "org.mirage4j.benchmarks.TcpBulk", f"--stack={stack}", f"--mode={mode}",
                              f"--runs={runs}", f"--bytes={size}", *extra]
            p = spaces.start(ns, *command)
            b.wait_for_line(p, r"^ready", f"TcpBulk --stack={stack} --mode={mode}")
            return p

        # Into the program: socat on the kernel's stack sends, the program counts.
        sinks = {"direct": (bulk(t, "direct", "sink", "direct-receive.jfr", "--interface=tap0", "--ipv4=10.0.0.2/24", "--port=5001"),
                            t, "10.0.0.2"),
                 "linux": (bulk(l, "socket", "sink", None, "--ipv4=10.0.1.2/24", "--port=5001"), a, "10.0.1.2")}
        for i in range(runs):
            for side, (program, peer_ns, address) in sinks.items():
                spaces.run(peer_ns, "sh", "-c", f"head -c {size} /dev/zero | socat -u - TCP:{address}:5001")
                line = b.wait_for_line(program, r"^received", f"the {side} sink")
                got, seconds = re.match(r"received (\d+) bytes in ([\d.]+) s", line).groups()
                if int(got) != size:
                    raise RuntimeError(f"the {side} sink received {got} bytes, not {size}")
                figures["in"][side].append(size / float(seconds) / 1e6)
            print(f"in  run {i + 1}: direct {figures['in']['direct'][-1]:.0f} MB/s, linux {figures['in']['linux'][-1]:.0f} MB/s", flush=True)
        for side, (program, _, _) in sinks.items():
            rest = program.stdout.read()
            program.wait(timeout=60)
            stats[f"{side} receiving"] = rest.strip()

        # Out of the program: the program sends, socat on the kernel's stack counts.
        sources = {"direct": (bulk(t, "direct", "source", "direct-send.jfr", "--interface=tap0", "--ipv4=10.0.0.2/24",
                                   "--peer=10.0.0.1", "--port=5002"), t),
                   "linux": (bulk(l, "socket", "source", None, "--ipv4=10.0.1.2/24", "--peer=10.0.1.1", "--port=5002"), a)}
        for i in range(runs):
            for side, (program, peer_ns) in sources.items():
                sink = spaces.start(peer_ns, "sh", "-c", "socat -u TCP-LISTEN:5002,reuseaddr - | wc -c")
                line = b.wait_for_line(program, r"^sent", f"the {side} source")
                count = int(sink.stdout.read().strip())
                sink.wait(timeout=60)
                sent, seconds = re.match(r"sent (\d+) bytes in ([\d.]+) s", line).groups()
                if count != size:
                    raise RuntimeError(f"socat received {count} bytes from the {side} source, not {size}")
                figures["out"][side].append(size / float(seconds) / 1e6)
            print(f"out run {i + 1}: direct {figures['out']['direct'][-1]:.0f} MB/s, linux {figures['out']['linux'][-1]:.0f} MB/s", flush=True)
        for side, (program, _) in sources.items():
            rest = program.stdout.read()
            program.wait(timeout=60)
            stats[f"{side} sending"] = rest.strip()

        # For scale, not for the ratio: the kernel's stack with a C tool at both ends, over the same veth.
        iperf = {}
        if shutil.which("iperf3"):
            for way, flag in (("in", []), ("out", ["-R"])):
                server = spaces.start(l, "iperf3", "-s", "-1")
                time.sleep(0.5)
                r = spaces.run(a, "iperf3", "-c", "10.0.1.2", "-t", "3", "-J", *flag, capture=True, check=False)
                server.wait(timeout=30)
                try:
                    iperf[way] = json.loads(r.stdout)["end"]["sum_received"]["bits_per_second"] / 8e6
                except (ValueError, KeyError):
                    pass

    rows = ["| direction (program's view) | direct stack over tap | Linux<->Linux over veth | **ratio direct / Linux** | runs (direct; Linux), MB/s |",
            "| --- | --- | --- | --- | --- |"]
    for way, label in (("in", "receive (socat -> program)"), ("out", "send (program -> socat)")):
        d, l = b.median(figures[way]["direct"]), b.median(figures[way]["linux"])
        rows.append(f"| {label} | {d:.0f} MB/s | {l:.0f} MB/s | **{d / l:.2f}x** | "
                    f"{', '.join(f'{x:.0f}' for x in figures[way]['direct'])}; {', '.join(f'{x:.0f}' for x in figures[way]['linux'])} |")
    if iperf:
        rows.append(f"| for scale: iperf3 over the same veth (C at both ends, Linux<->Linux) | | "
                    f"{iperf.get('in', 0):.0f} in, {iperf.get('out', 0):.0f} out MB/s | | one 3 s run each way |")
    table = "\n".join(rows)
    body = (f"Measured {b.today()} on {b.machine()}, by `sudo benchmarks/tcp-throughput.py {runs} --mib={mib}`: "
            f"{mib} MiB per run each way, {runs} runs alternating, medians. Goal: >= 0.5x each way.\n\n{table}\n")
    if profile:
        for name in ("direct-receive", "direct-send"):
            path = os.path.join(jfr_dir, name + ".jfr")
            if os.path.exists(path):
                body += f"\nJFR of the direct stack's JVM, {name.replace('direct-', '')} direction (`{os.path.relpath(path, b.ROOT)}`):\n\n```\n{b.jfr_views(path)}\n```\n"
    b.write_section(SCRIPT, "TCP throughput: direct stack over tap vs Linux<->Linux over veth", body)
    print(table)
    for k, v in stats.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
