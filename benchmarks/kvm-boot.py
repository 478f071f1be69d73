#!/usr/bin/env python3
"""Boot time of the kvm target, next to its floor, measured in the same run.

Builds skeleton-apps/hello for -Ptarget=kvm, then boots alternately
  - the hello image (target/run.sh --tcg), and
  - the floor: the same kernel and QEMU options with an initramfs holding only a static init that
    prints one line and powers off,
and measures, for each boot, the time from starting QEMU to the first "Hello World!" line on the
serial console. Reports medians, the ratio, and the image size by part, and writes them into
BENCHMARKS.md (between the kvm-boot markers).

Usage: benchmarks/kvm-boot.py [RUNS]   (default 5 of each; needs qemu-system-x86, gcc, cpio)
"""
import os, re, shutil, statistics, subprocess, sys, tempfile, time, datetime, platform

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELLO = os.path.join(ROOT, "skeleton-apps", "hello")
TARGET = os.path.join(HELLO, "target")
LINE = b"Hello World!"


def need(tool, package):
    if shutil.which(tool) is None:
        sys.exit(f"kvm-boot: {tool} is missing: install it (apt-get install -y {package}) and run again.")


def build_hello():
    env = dict(os.environ)
    env.setdefault("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    out = subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-Ptarget=kvm", "package", "-DskipTests"],
                         cwd=HELLO, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("kvm-boot: building the hello image failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
    parts = [l.split("[mirage]   ", 1)[1] for l in out.stdout.splitlines() if "[mirage]   " in l]
    return parts


def build_floor(work):
    init = os.path.join(work, "init")
    subprocess.run(["gcc", "-static", "-Os", "-s", "-o", init, os.path.join(ROOT, "benchmarks", "floor-init.c")], check=True)
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], input=b"init\n", cwd=work, capture_output=True, check=True).stdout
    floor = os.path.join(work, "floor.img")
    subprocess.run(["gzip", "-9"], input=cpio, stdout=open(floor, "wb"), check=True)
    return floor


def time_to_line(command):
    """Seconds from starting the command to the first console line with LINE; the VM is then left to finish."""
    start = time.monotonic()
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    seen = None
    for raw in p.stdout:
        if seen is None and LINE in raw:
            seen = time.monotonic() - start
    p.wait(timeout=300)
    if seen is None:
        sys.exit("kvm-boot: no '" + LINE.decode() + "' line from " + " ".join(command))
    return seen


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    need("qemu-system-x86_64", "qemu-system-x86"); need("gcc", "gcc"); need("cpio", "cpio")
    parts = build_hello()
    work = tempfile.mkdtemp(prefix="kvm-boot-")
    try:
        floor = build_floor(work)
        qemu_floor = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512", "-nodefaults", "-no-user-config",
                      "-display", "none", "-no-reboot", "-serial", "mon:stdio", "-kernel", os.path.join(TARGET, "vmlinuz"),
                      "-initrd", floor, "-append", "console=ttyS0 quiet panic=-1 cryptomgr.notests rdinit=/init"]
        hello, base = [], []
        for i in range(runs):  # alternate, so that load on the machine hits both alike
            hello.append(time_to_line([os.path.join(TARGET, "run.sh"), "--tcg"]))
            base.append(time_to_line(qemu_floor))
            print(f"run {i + 1}: hello {hello[-1]:.2f} s, floor {base[-1]:.2f} s", flush=True)
        floor_size = os.path.getsize(floor)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    h, f = statistics.median(hello), statistics.median(base)
    table = "\n".join([
        "| boot, QEMU start to first line (TCG) | median | runs |",
        "| --- | --- | --- |",
        f"| hello image (JVM as PID 1, AOT cache) | {h:.2f} s | {', '.join(f'{x:.2f}' for x in hello)} |",
        f"| floor: same kernel, static one-line init | {f:.2f} s | {', '.join(f'{x:.2f}' for x in base)} |",
        f"| **ratio hello / floor** | **{h / f:.2f}x** | hello costs {h - f:.2f} s above the floor |",
        "",
        "| image part | size |",
        "| --- | --- |",
    ] + [f"| {re.sub(r'  +', ' | ', p.strip(), count=1)} |" for p in parts] + [
        f"| floor initramfs (gzip) | {floor_size / 1024:.1f} KiB |",
    ])
    section = (f"<!-- kvm-boot:start -->\n## kvm target: boot time and image size\n\n"
               f"Measured {datetime.date.today()} on {platform.node()} ({os.cpu_count()} cores; "
               f"KVM does not run guests here, so QEMU uses TCG), by `benchmarks/kvm-boot.py {runs}`.\n\n"
               f"{table}\n<!-- kvm-boot:end -->")
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\nFigures are ratios against a peer measured in the same run; these machines are noisy.\n"
    if "<!-- kvm-boot:start -->" in text:
        text = re.sub(r"<!-- kvm-boot:start -->.*<!-- kvm-boot:end -->", lambda m: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(path, "w").write(text)
    print(table)


if __name__ == "__main__":
    main()
