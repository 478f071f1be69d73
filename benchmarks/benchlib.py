"""What the end-to-end benchmark scripts share: building, network namespaces that are always torn down, JFR
summaries, and writing a script's section of BENCHMARKS.md. Not a program; the scripts next to it import it."""
import datetime, os, platform, re, shutil, signal, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "benchmarks")
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
JAVA = os.path.join(JAVA_HOME, "bin", "java")
JFR = os.path.join(JAVA_HOME, "bin", "jfr")


def fail(script, message):
    sys.exit(f"{script}: {message}")


def need(script, tool, package):
    if shutil.which(tool) is None:
        fail(script, f"{tool} is missing: install it (apt-get install -y {package}) and run again.")


def need_root(script):
    if os.geteuid() != 0:
        fail(script, "needs root for network namespaces and tap devices: run it with sudo.")


def terminate_on_signals():
    """Turns SIGTERM and SIGHUP into KeyboardInterrupt (as Ctrl-C already is), so every finally: block tears down."""
    def stop(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)


def build_benchmarks(script):
    """Builds the benchmarks module and what it depends on from this checkout; returns its class path."""
    env = dict(os.environ, JAVA_HOME=JAVA_HOME)
    out = subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-B", "-pl", "benchmarks", "-am", "install", "-Dmaven.test.skip=true"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        fail(script, "building the benchmarks module failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
    target = os.path.join(BENCH, "target")
    return os.path.join(target, "classes") + ":" + open(os.path.join(target, "classpath")).read().strip()


class Namespaces:
    """Network namespaces named <prefix>-<pid>-<name>, all deleted (with what runs in them) on exit, however it ends."""

    def __init__(self, prefix):
        self.prefix = f"{prefix}-{os.getpid()}"
        self.names = []
        self.processes = []

    def __enter__(self):
        return self

    def add(self, name):
        full = f"{self.prefix}-{name}"
        subprocess.run(["ip", "netns", "add", full], check=True)
        self.names.append(full)
        self.run(full, "ip", "link", "set", "lo", "up")
        return full

    def run(self, ns, *command, check=True, capture=False):
        return subprocess.run(["ip", "netns", "exec", ns, *command], check=check, text=True,
                              capture_output=capture, stdin=subprocess.DEVNULL)

    def start(self, ns, *command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, **kw):
        """A background process in ns, killed (with its process group) at exit if still running."""
        p = subprocess.Popen(["ip", "netns", "exec", ns, *command], stdout=stdout, stderr=subprocess.STDOUT, stdin=stdin,
                             text=True, start_new_session=True, **kw)
        self.processes.append(p)
        return p

    def __exit__(self, *exc):
        for p in reversed(self.processes):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        for ns in reversed(self.names):
            subprocess.run(["ip", "netns", "delete", ns], stderr=subprocess.DEVNULL)
        return False


def veth_pair(spaces, a, a_ip, b, b_ip):
    """A veth pair between namespaces a and b, with a_ip and b_ip (prefixes) on its ends."""
    subprocess.run(["ip", "link", "add", "veth-a", "netns", a, "type", "veth", "peer", "name", "veth-b", "netns", b], check=True)
    spaces.run(a, "ip", "addr", "add", a_ip, "dev", "veth-a")
    spaces.run(b, "ip", "addr", "add", b_ip, "dev", "veth-b")
    spaces.run(a, "ip", "link", "set", "veth-a", "up")
    spaces.run(b, "ip", "link", "set", "veth-b", "up")


def tap(spaces, ns, linux_ip):
    """A persistent tap0 in ns with linux_ip on the kernel's side, for a direct stack in ns to attach to."""
    spaces.run(ns, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
    spaces.run(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/tap0/disable_ipv6")
    spaces.run(ns, "ip", "addr", "add", linux_ip, "dev", "tap0")
    spaces.run(ns, "ip", "link", "set", "tap0", "up")


def wait_for_line(process, pattern, what):
    """Reads process's output to the first line matching pattern; fails with the output seen if it ends first."""
    seen = []
    for line in process.stdout:
        seen.append(line)
        if re.search(pattern, line):
            return line
    raise RuntimeError(f"{what} ended before printing '{pattern}':\n" + "".join(seen[-30:]))


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()
    return (f"{platform.node()}: {os.cpu_count()} cores ({model}), Linux {platform.release()}, "
            f"{java[1] if len(java) > 1 else java[0]}")


def jfr_options(path):
    # The CPU-time sampler (JDK 25, Linux) also sees time in native code (the tap's read and write), unlike the
    # execution sampler, which sees only threads running Java code.
    return [f"-XX:StartFlightRecording=filename={path},settings=profile,dumponexit=true,"
            "jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms"]


def jfr_views(path, rows=12):
    """A summary of a recording: the JDK's hottest methods by CPU time and CPU load by thread ('jfr view'), then CPU
    time and allocation grouped by the first frame of our own code."""
    out = []
    for view, n in (("cpu-time-hot-methods", rows), ("thread-cpu-load", 8)):
        r = subprocess.run([JFR, "view", "--width", "150", view, path], capture_output=True, text=True)
        lines = [l.rstrip() for l in r.stdout.splitlines() if l.strip()]
        out.append("\n".join(lines[:n + 3]))
    out.append(jfr_by_own_frame(path, "jdk.CPUTimeSample", rows))
    out.append(jfr_by_own_frame(path, "jdk.ObjectAllocationSample", 8))
    return "\n\n".join(out)


def jfr_by_own_frame(path, event="jdk.CPUTimeSample", rows=15, prefix="org.mirage4j."):
    """Samples of event grouped by the first frame of our own code (prefix) on each stack: time spent in the JDK or
    netty counts against the method of ours that called it. A table in text, with the share of all samples."""
    r = subprocess.run([JFR, "print", "--json", "--stack-depth", "64", "--events", event, path], capture_output=True, text=True)
    if r.returncode != 0:
        return f"({event}: {r.stderr.strip()})"
    import json
    events = json.loads(r.stdout)["recording"]["events"]
    weight = "weight" if event == "jdk.ObjectAllocationSample" else None
    counts, total = {}, 0
    for e in events:
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        n = e["values"].get(weight, 1) if weight else 1
        total += n
        key = "(no frame of ours: JIT, GC, idle carrier threads)"
        for f in frames:
            m = f["method"]
            name = m["type"]["name"].replace("/", ".") + "." + m["name"]
            if name.startswith(prefix) and "$$Lambda" not in name:
                key = name[len(prefix):] + (f" line {f['lineNumber']}" if f.get("lineNumber", -1) >= 0 else "")
                break
        counts[key] = counts.get(key, 0) + n
    what = "bytes (sampled, weighted)" if weight else "samples"
    lines = [f"{event}: share of {what} by the first {prefix}* frame on the stack (the caller of the JDK or netty)"]
    for key, n in sorted(counts.items(), key=lambda kv: -kv[1])[:rows]:
        lines.append(f"{100.0 * n / max(total, 1):6.2f}%  {key}")
    return "\n".join(lines)


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def write_section(key, title, body):
    """Puts body under '## title' between the key's markers in BENCHMARKS.md, replacing what was there."""
    section = f"<!-- {key}:start -->\n## {title}\n\n{body.rstrip()}\n<!-- {key}:end -->"
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    pattern = re.compile(rf"<!-- {re.escape(key)}:start -->.*<!-- {re.escape(key)}:end -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(path, "w").write(text)


def today():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
