#!/usr/bin/env python3
"""JMH benchmarks of the direct stack, with the gc profiler, into BENCHMARKS.md.

Runs every benchmark of the benchmarks module (TcpReceiveBenchmark, TcpSendBenchmark, WireBenchmark and
FloorBenchmark) with `-prof gc`, and writes a table of the time and the bytes allocated per operation, with the
per-packet costs also as a ratio to the floor (one checksum pass and one copy of a full segment) measured in the
same run. Extra arguments go to JMH as they are (a benchmark regex, -f, -wi, -i, ...).

Usage: benchmarks/jmh.py [JMH ARGS...]
"""
import json, os, subprocess, sys, tempfile
import benchlib as b

SCRIPT = "jmh"


def main():
    b.terminate_on_signals()
    cp = b.build_benchmarks(SCRIPT)
    with tempfile.TemporaryDirectory(prefix="jmh-") as work:
        result = os.path.join(work, "jmh.json")
        command = [b.JAVA, "-cp", cp, "org.openjdk.jmh.Main", "-prof", "gc", "-prof", "org.mirage4j.benchmarks.CpuTimeProfiler",
                   "-rf", "json", "-rff", result, *sys.argv[1:]]
        if subprocess.run(command).returncode != 0:
            b.fail(SCRIPT, "JMH failed; its output is above.")
        runs = json.load(open(result))
    rows, times = [], {}
    for r in runs:
        name = r["benchmark"].rsplit(".", 2)
        short = f"{name[-2].replace('Benchmark', '')}.{name[-1]}"
        score, error = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
        alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        cpu = r["secondaryMetrics"].get("cpu.time.norm", {}).get("score", float("nan"))
        times[short] = cpu
        rows.append((short, score, error, cpu, alloc))
    floor = times.get("Floor.checksumAndCopySegment")
    lines = ["| benchmark | CPU ns/op | wall ns/op | ± (99.9%) | bytes allocated/op | x floor (CPU) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for short, score, error, cpu, alloc in rows:
        ratio = f"**{cpu / floor:.1f}x**" if floor and short.startswith("Tcp") else ""
        error_text = f"{error:.1f}" if isinstance(error, (int, float)) and error == error else "-"
        lines.append(f"| {short} | {cpu:.1f} | {score:.1f} | {error_text} | {alloc:.0f} | {ratio} |")
    args = " ".join(sys.argv[1:])
    body = (f"Measured {b.today()} on {b.machine()}, by `benchmarks/jmh.py{(' ' + args) if args else ''}` "
            f"(JMH, average time, `-prof gc`). Goal: per packet <= 300 ns and 0 bytes allocated on the steady-state path.\n\n"
            "- TcpReceive.receiveSegment: one 1460-octet data segment in through Ethernet, IPv4 and TCP on an established "
            "connection (frames fed on the benchmark's thread through an in-memory device), the ACKs it sends out, and the "
            "application reading it from the flow, all on one thread;\n"
            "- TcpSend.sendSegment: 1460 octets written to the flow and sent as one segment through TCP, IPv4 and "
            "Ethernet, plus the peer's ACK for it coming back in;\n"
            "- Wire.*: bind, check and parse (or emit) one header of each format;\n"
            "- Floor.checksumAndCopySegment: one Internet checksum pass over a full segment and one copy of its data, the "
            "work no software stack avoids, written plainly fast; \"x floor\" is the per-packet CPU cost as a multiple of it.\n\n"
            "CPU ns/op is the wall-clock time per operation scaled by the JVM's share of a CPU during each iteration "
            "(`CpuTimeProfiler`): the machine is shared, so wall-clock times grow with other people's load and CPU times "
            "much less. It counts every thread of the JVM, so it is an upper bound.\n\n"
            + "\n".join(lines) + "\n")
    b.write_section(SCRIPT, "Per-packet costs (JMH)", body)
    print("\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
