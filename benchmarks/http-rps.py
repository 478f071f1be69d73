#!/usr/bin/env python3
"""HTTP requests/s with wrk: the http skeleton app on the direct stack over a tap vs nginx on the kernel's stack.

Both serve skeleton-apps/http/htdocs/index.html at "/" over HTTP/1.1 keep-alive:
  - direct: the http app built with -Ptarget=unix -Dmirage.net=direct, on tap0 in a namespace (10.0.0.2); wrk runs
    in that namespace, on the kernel's end of the tap (10.0.0.1);
  - nginx:  the Debian package, one worker, access log off, keep-alive requests unbounded (as in the app), serving
    a copy of the same htdocs on a veth pair between two namespaces (10.0.1.2); wrk runs in the other (10.0.1.1).
wrk: -t2 -c64 -dSECONDS, one uncounted warm-up run each, then runs alternating between the two; medians and their ratio go into BENCHMARKS.md. With
profiling (the default), the app's JVM records JFR, summarised into BENCHMARKS.md, kept in benchmarks/target/jfr/.

Usage: sudo benchmarks/http-rps.py [RUNS] [--seconds=S] [--no-profile]   (default 3 runs of 10 s each)
Needs root, wrk, nginx, curl, iproute2; everything it makes is removed on exit, Ctrl-C included.
"""
import os, re, shutil, subprocess, sys, tempfile
import benchlib as b

SCRIPT = "http-rps"
HTTP = os.path.join(b.ROOT, "skeleton-apps", "http")


def build_app(work):
    """Builds the http app for the direct stack; returns a class path holding a private copy of its classes."""
    env = dict(os.environ, JAVA_HOME=b.JAVA_HOME)
    out = subprocess.run([os.path.join(b.ROOT, "mvnw"), "-q", "-B", "-Ptarget=unix", "-Dmirage.net=direct", "package",
                          "-DskipTests"], cwd=HTTP, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        b.fail(SCRIPT, "building skeleton-apps/http for the direct stack failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
    classes = os.path.join(work, "http-classes")
    shutil.copytree(os.path.join(HTTP, "target", "classes"), classes)  # so that a rebuild by someone else cannot race us
    return classes + ":" + open(os.path.join(HTTP, "target", "mirage", "classpath")).read().strip()


def nginx_config(work, htdocs):
    path = os.path.join(work, "nginx.conf")
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    open(path, "w").write(f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    server {{
        listen 10.0.1.2:8080;
        root {htdocs};
        index index.html;
    }}
}}
""")
    return path


def wrk(spaces, ns, url, seconds):
    out = spaces.run(ns, "wrk", "-t2", "-c64", f"-d{seconds}s", url, capture=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk got {errors.group(1)} error responses from {url}:\n{out}")
    return rps


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 3
    seconds = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--seconds=")), 10)
    profile = "--no-profile" not in sys.argv
    b.need_root(SCRIPT); b.need(SCRIPT, "wrk", "wrk"); b.need(SCRIPT, "nginx", "nginx"); b.need(SCRIPT, "curl", "curl")
    b.terminate_on_signals()
    work = tempfile.mkdtemp(prefix="http-rps-")
    os.chmod(work, 0o755)
    jfr_dir = os.path.join(b.BENCH, "target", "jfr")
    os.makedirs(jfr_dir, exist_ok=True)
    jfr_path = os.path.join(jfr_dir, "direct-http.jfr")
    figures = {"direct": [], "nginx": []}
    try:
        cp = build_app(work)
        htdocs = os.path.join(work, "htdocs")
        shutil.copytree(os.path.join(HTTP, "htdocs"), htdocs)
        subprocess.run(["chmod", "-R", "a+rX", work], check=True)
        with b.Namespaces("bench-http") as spaces:
            t = spaces.add("tap")
            c = spaces.add("client")
            s = spaces.add("nginx")
            b.tap(spaces, t, "10.0.0.1/24")
            b.veth_pair(spaces, c, "10.0.1.1/24", s, "10.0.1.2/24")
            java = [b.JAVA, "--enable-native-access=ALL-UNNAMED"] + (b.jfr_options(jfr_path) if profile else [])
            app = spaces.start(t, *java, "-cp", cp, "mirage.Main", "--interface=tap0", "--ipv4=10.0.0.2/24", "--port=8080")
            b.wait_for_line(app, r"http: ready", "the http app")
            nginx = spaces.start(s, "nginx", "-c", nginx_config(work, htdocs))
            urls = {"direct": (t, "http://10.0.0.2:8080/"), "nginx": (c, "http://10.0.1.2:8080/")}
            bodies = {}
            for side, (ns, url) in urls.items():
                for attempt in range(50):
                    r = spaces.run(ns, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", url,
                                   check=False, capture=True)
                    if r.stdout.startswith("200"):
                        break
                    subprocess.run(["sleep", "0.2"])
                bodies[side] = r.stdout
            if not all(v.startswith("200 ") for v in bodies.values()) or len(set(bodies.values())) != 1:
                raise RuntimeError(f"the two servers do not both answer 200 with the same body size: {bodies}")
            for side, (ns, url) in urls.items():  # warm-up, not counted: the JVM's JIT compiles the serving path
                wrk(spaces, ns, url, seconds)
            for i in range(runs):
                for side, (ns, url) in urls.items():
                    figures[side].append(wrk(spaces, ns, url, seconds))
                print(f"run {i + 1}: direct {figures['direct'][-1]:.0f} req/s, nginx {figures['nginx'][-1]:.0f} req/s", flush=True)
            if nginx.poll() is not None:
                raise RuntimeError("nginx stopped during the run: " + open(os.path.join(work, "error.log")).read())
            # Stopping the app's JVM normally lets JFR write its recording.
            os.killpg(app.pid, 15)
            app.wait(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    d, n = b.median(figures["direct"]), b.median(figures["nginx"])
    size = bodies["direct"].split()[1]
    table = "\n".join([
        "| server | requests/s (median) | runs |",
        "| --- | --- | --- |",
        f"| http app, direct stack over tap | {d:,.0f} | {', '.join(f'{x:,.0f}' for x in figures['direct'])} |",
        f"| nginx, one worker, over veth | {n:,.0f} | {', '.join(f'{x:,.0f}' for x in figures['nginx'])} |",
        f"| **ratio app / nginx** | **{d / n:.2f}x** | goal >= 1.0x |",
    ])
    body = (f"Measured {b.today()} on {b.machine()}, by `sudo benchmarks/http-rps.py {runs} --seconds={seconds}`: "
            f"`wrk -t2 -c64 -d{seconds}s` (keep-alive) for `/`, the http skeleton's index.html ({size} bytes of body), "
            f"one uncounted warm-up run each, then {runs} runs alternating, medians; wrk, the server and (for the app) its stack share the machine's cores.\n\n{table}\n")
    if profile and os.path.exists(jfr_path):
        body += f"\nJFR of the http app's JVM during the runs (`{os.path.relpath(jfr_path, b.ROOT)}`):\n\n```\n{b.jfr_views(jfr_path)}\n```\n"
    b.write_section(SCRIPT, "HTTP requests/s: the http app on the direct stack vs nginx", body)
    print(table)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
