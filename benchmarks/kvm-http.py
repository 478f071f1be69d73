#!/usr/bin/env python3
"""kvm target: the time from starting QEMU to the first HTTP 200 of the http app, next to the floor, same run.

Builds skeleton-apps/http for -Ptarget=kvm, then boots alternately
  - the http image (target/run.sh --tcg --tap tap0 -- --ipv4=10.0.0.2/24), its virtio NIC on a tap in a network
    namespace whose kernel side is 10.0.0.1, measuring from starting QEMU to the first `200` that curl, polling
    every 50 ms from that namespace, gets for http://10.0.0.2:8080/; and
  - the floor of benchmarks/kvm-boot.py: the same kernel and QEMU options with a static one-line init, measuring
    to that line,
and writes the medians, their ratio and the http image's size by part into BENCHMARKS.md.

Usage: sudo benchmarks/kvm-http.py [RUNS]   (default 3 of each; needs root, qemu-system-x86, gcc, cpio, curl)
Everything it makes is removed on exit, Ctrl-C included.
"""
import importlib.util, os, re, shutil, subprocess, sys, tempfile, threading, time
import benchlib as b

SCRIPT = "kvm-http"
HTTP = os.path.join(b.ROOT, "skeleton-apps", "http")
BOOT_TIMEOUT = 300


def kvm_boot():
    spec = importlib.util.spec_from_file_location("kvm_boot", os.path.join(b.BENCH, "kvm-boot.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_image(work):
    """Builds the http image; returns a private copy of it (so a rebuild by someone else cannot race us) and its parts."""
    env = dict(os.environ, JAVA_HOME=b.JAVA_HOME)
    out = subprocess.run([os.path.join(b.ROOT, "mvnw"), "-B", "-Ptarget=kvm", "package", "-DskipTests"],
                         cwd=HTTP, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        b.fail(SCRIPT, "building the http image (-Ptarget=kvm) failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
    parts = [l.split("[mirage]   ", 1)[1] for l in out.stdout.splitlines() if "[mirage]   " in l]
    image = os.path.join(work, "image")
    os.makedirs(image)
    for name in ("vmlinuz", "initrd.img", "cmdline", "run.sh"):
        shutil.copy2(os.path.join(HTTP, "target", name), image)
    return image, parts


def time_to_200(spaces, ns, image):
    """Seconds from starting QEMU with the http image to its console's "http: ready" line (None if none came) and
    to the first HTTP 200 from it; the VM is then stopped."""
    start = time.monotonic()
    vm = spaces.start(ns, os.path.join(image, "run.sh"), "--tcg", "--tap", "tap0", "--", "--ipv4=10.0.0.2/24")
    console = []  # (seconds since start, line), read on a thread of its own

    def read_console():
        for line in vm.stdout:
            console.append((time.monotonic() - start, line))
    reader = threading.Thread(target=read_console, daemon=True)
    reader.start()
    try:
        while time.monotonic() - start < BOOT_TIMEOUT:
            r = subprocess.run(["ip", "netns", "exec", ns, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                "--max-time", "1", "http://10.0.0.2:8080/"], capture_output=True, text=True)
            if r.stdout == "200":
                ok = time.monotonic() - start
                ready = next((t for t, line in list(console) if "http: ready" in line), None)
                return ready, ok
            if vm.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"no HTTP 200 from the http image within {BOOT_TIMEOUT} s (QEMU "
                           f"{'exited ' + str(vm.returncode) if vm.poll() is not None else 'still running'}); its console:\n"
                           + "".join(line for _, line in list(console)[-40:]))
    finally:
        if vm.poll() is None:
            os.killpg(vm.pid, 15)
            vm.wait(timeout=30)
        reader.join(timeout=5)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    b.need_root(SCRIPT)
    for tool, package in (("qemu-system-x86_64", "qemu-system-x86"), ("gcc", "gcc"), ("cpio", "cpio"), ("curl", "curl")):
        b.need(SCRIPT, tool, package)
    b.terminate_on_signals()
    boot = kvm_boot()
    work = tempfile.mkdtemp(prefix="kvm-http-")
    http, ready, floor = [], [], []
    try:
        image, parts = build_image(work)
        floor_image = boot.build_floor(work)
        qemu_floor = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512", "-nodefaults", "-no-user-config",
                      "-display", "none", "-no-reboot", "-serial", "mon:stdio", "-kernel", os.path.join(image, "vmlinuz"),
                      "-initrd", floor_image, "-append", "console=ttyS0 quiet panic=-1 cryptomgr.notests rdinit=/init"]
        with b.Namespaces("bench-kvm") as spaces:
            ns = spaces.add("tap")
            b.tap(spaces, ns, "10.0.0.1/24")
            for i in range(runs):  # alternate, so that load on the machine hits both alike
                up, ok = time_to_200(spaces, ns, image)
                ready.append(up)
                http.append(ok)
                floor.append(boot.time_to_line(qemu_floor))
                print(f"run {i + 1}: http ready {up if up is None else round(up, 2)} s, first 200 {http[-1]:.2f} s, "
                      f"floor {floor[-1]:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    h, f = b.median(http), b.median(floor)
    up_times = [x for x in ready if x is not None]
    table = "\n".join([
        "| QEMU start to ... (TCG) | median | runs |",
        "| --- | --- | --- |",
        f"| http image: its console's \"http: ready\" line | {b.median(up_times):.2f} s | {', '.join(f'{x:.2f}' for x in up_times)} |"
        if up_times else "| http image: its console's \"http: ready\" line | - | not seen |",
        f"| http image: first HTTP 200 over virtio-net | {h:.2f} s | {', '.join(f'{x:.2f}' for x in http)} |",
        f"| floor: same kernel, static one-line init, its line | {f:.2f} s | {', '.join(f'{x:.2f}' for x in floor)} |",
        f"| **ratio http / floor** | **{h / f:.2f}x** | the http app costs {h - f:.2f} s above the floor |",
        "",
        "| http image part | size |",
        "| --- | --- |",
    ] + [f"| {re.sub(r'  +', ' | ', p.strip(), count=1)} |" for p in parts])
    body = (f"Measured {b.today()} on {b.machine()} (KVM does not run guests here, so QEMU uses TCG), by "
            f"`sudo benchmarks/kvm-http.py {runs}`; curl polls every 50 ms from the tap's namespace.\n\n{table}\n")
    b.write_section(SCRIPT, "kvm target: QEMU start to first HTTP 200", body)
    print(table)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
