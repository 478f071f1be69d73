#!/usr/bin/env python3
"""kvm target: a 100 MiB HTTP download from our VM (Java virtio-net driver, direct stack) next to a Linux guest.

Both guests boot the same kernel with the same QEMU options (the http image's target/run.sh, TCG, a virtio-net-pci
NIC on a tap in a network namespace whose kernel side is 10.0.0.1) and serve the same 100 MiB file (seeded random
bytes) at http://10.0.0.2:8080/big.bin:
  - ours: skeleton-apps/http built with -Ptarget=kvm, the file in its htdocs; and
  - the peer: the same kernel with an initramfs of busybox (httpd) and the kernel's own virtio_net driver.
curl downloads the file from the namespace; the script checks its sha256 and writes MB/s, for each and their ratio,
into BENCHMARKS.md.

Usage: sudo benchmarks/virtio-download.py [RUNS]   (default 1; needs root, qemu-system-x86, busybox-static, cpio, curl)
Everything it makes is removed on exit, Ctrl-C included.
"""
import gzip, hashlib, os, random, re, shutil, subprocess, sys, tempfile, threading, time
import benchlib as b

SCRIPT = "virtio-download"
SIZE = 100 << 20
BOOT_TIMEOUT = 600
DOWNLOAD_TIMEOUT = 1200
# The kernel's own drivers the peer guest loads (with what they depend on); modules in Debian's cloud kernel.
WANTED = ["virtio_pci", "virtio_net"]
GUEST_INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
for m in {modules}; do /bin/busybox insmod /modules/$m || echo "insmod $m failed"; done
/bin/busybox ip link set lo up
/bin/busybox ip link set eth0 up
/bin/busybox ip addr add 10.0.0.2/24 dev eth0
echo "linux guest: serving"
exec /bin/busybox httpd -f -p 8080 -h /www
"""


def write_file(path):
    """The 100 MiB file, seeded so that every run serves the same bytes; returns its sha256."""
    rng = random.Random(100)
    sha = hashlib.sha256()
    with open(path, "wb") as out:
        for _ in range(SIZE // (1 << 20)):
            chunk = rng.randbytes(1 << 20)
            sha.update(chunk)
            out.write(chunk)
    return sha.hexdigest()


def build_ours(work, big):
    """A copy of the http app with the file in its htdocs, built for kvm; returns its target directory."""
    app = os.path.join(work, "http")
    shutil.copytree(os.path.join(b.ROOT, "skeleton-apps", "http"), app, ignore=shutil.ignore_patterns("target"))
    shutil.copy2(big, os.path.join(app, "htdocs", "big.bin"))
    pom = os.path.join(app, "pom.xml")
    text = open(pom).read().replace("<relativePath>../../app-parent/pom.xml</relativePath>",
                                    f"<relativePath>{os.path.join(b.ROOT, 'app-parent', 'pom.xml')}</relativePath>")
    open(pom, "w").write(text)
    env = dict(os.environ, JAVA_HOME=b.JAVA_HOME)
    # The file is crunched into the image and read into the heap as a response: a heap to match.
    out = subprocess.run([os.path.join(b.ROOT, "mvnw"), "-B", "-q", "-o", "-Ptarget=kvm", "package", "-DskipTests",
                          "-Dmirage.jvmOptions=-Xmx512m -XX:+UseSerialGC"], cwd=app, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        b.fail(SCRIPT, "building the http image with the 100 MiB file failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
    return os.path.join(app, "target")


def kernel_modules_dir(image_target):
    """The modules of the kernel the image boots: the kernel cache's tree whose vmlinuz is the image's."""
    cache = os.path.expanduser("~/.cache/mirage4j/kernel")
    image_kernel = open(os.path.join(image_target, "vmlinuz"), "rb").read()
    for entry in sorted(os.listdir(cache)):
        boot = os.path.join(cache, entry, "tree", "boot")
        if not os.path.isdir(boot):
            continue
        for name in os.listdir(boot):
            if name.startswith("vmlinuz-") and open(os.path.join(boot, name), "rb").read() == image_kernel:
                return os.path.join(cache, entry, "tree", "lib", "modules", name[len("vmlinuz-"):])
    b.fail(SCRIPT, "the image's kernel is not in ~/.cache/mirage4j/kernel: build with the default kernel.")


def load_order(modules, wanted):
    """The .ko files for wanted and their dependencies (read from each module's .modinfo), dependencies first."""
    paths = {}
    for directory, _, files in os.walk(os.path.join(modules, "kernel")):
        for name in files:
            if name.endswith(".ko"):
                paths[name[:-3].replace("-", "_")] = os.path.join(directory, name)
    order = []

    def visit(name):
        name = name.replace("-", "_")
        if name in order:
            return
        if name not in paths:  # built into the kernel
            return
        found = re.search(rb"depends=([^\x00]*)\x00", open(paths[name], "rb").read())
        for dependency in (found.group(1).decode().split(",") if found and found.group(1) else []):
            visit(dependency)
        order.append(name)
    for name in wanted:
        visit(name)
    return [paths[name] for name in order]


def build_linux_guest(work, image_target, big):
    """The peer: the image's kernel, command line and run.sh, with an initramfs of busybox, virtio_net and the file."""
    root = os.path.join(work, "guest-root")
    for d in ("bin", "modules", "www"):
        os.makedirs(os.path.join(root, d))
    shutil.copy2(shutil.which("busybox"), os.path.join(root, "bin", "busybox"))
    modules = kernel_modules_dir(image_target)
    names = []
    for path in load_order(modules, WANTED):
        shutil.copy2(path, os.path.join(root, "modules"))
        names.append(os.path.basename(path))
    shutil.copy2(big, os.path.join(root, "www", "big.bin"))
    init = os.path.join(root, "init")
    open(init, "w").write(GUEST_INIT.format(modules=" ".join(names)))
    os.chmod(init, 0o755)
    files = subprocess.run(["find", "."], cwd=root, capture_output=True, text=True, check=True).stdout
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], input=files.encode(), cwd=root,
                          capture_output=True, check=True).stdout
    guest = os.path.join(work, "guest")
    os.makedirs(guest)
    for name in ("vmlinuz", "run.sh"):
        shutil.copy2(os.path.join(image_target, name), guest)
    with gzip.open(os.path.join(guest, "initrd.img"), "wb", compresslevel=1) as out:
        out.write(cpio)
    # The same kernel parameters, with busybox's init in place of the JVM.
    cmdline = open(os.path.join(image_target, "cmdline")).read().split(" -- ")[0]
    cmdline = re.sub(r"rdinit=\S+", "rdinit=/init", cmdline)
    cmdline = " ".join(w for w in cmdline.split() if not w.startswith("LD_LIBRARY_PATH="))
    open(os.path.join(guest, "cmdline"), "w").write(cmdline + "\n")
    return guest


def download(spaces, ns, image_dir, expected_sha, extra_args):
    """Boots image_dir's run.sh in ns, waits for its HTTP server, downloads big.bin twice; returns the MB/s of the
    first download (our JVM's code still cold: interpreted and compiling) and of the second (sha256 checked)."""
    start = time.monotonic()
    vm = spaces.start(ns, os.path.join(image_dir, "run.sh"), "--tcg", "--mem", "1536", "--tap", "tap0", *extra_args)
    console = []
    reader = threading.Thread(target=lambda: [console.append(line) for line in vm.stdout], daemon=True)
    reader.start()
    target = os.path.join(os.path.dirname(image_dir), f"download-{os.path.basename(image_dir)}")
    try:
        while True:
            if time.monotonic() - start > BOOT_TIMEOUT or vm.poll() is not None:
                raise RuntimeError(f"{image_dir}: no HTTP server within {BOOT_TIMEOUT} s; its console:\n"
                                   + "".join(console[-40:]))
            r = spaces.run(ns, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2",
                           "http://10.0.0.2:8080/", check=False, capture=True)
            if r.stdout in ("200", "404", "403"):
                break
            time.sleep(0.5)
        rates = []
        for _ in range(2):
            begin = time.monotonic()
            r = spaces.run(ns, "curl", "-sS", "--max-time", str(DOWNLOAD_TIMEOUT), "-o", target,
                           "http://10.0.0.2:8080/big.bin", check=False, capture=True)
            seconds = time.monotonic() - begin
            if r.returncode != 0:
                raise RuntimeError(f"{image_dir}: curl failed: {r.stderr}; console:\n" + "".join(console[-40:]))
            sha = hashlib.sha256(open(target, "rb").read()).hexdigest()
            if sha != expected_sha:
                raise RuntimeError(f"{image_dir}: the download's sha256 {sha} is not the file's {expected_sha}")
            rates.append(SIZE / seconds / 1e6)
        return rates
    finally:
        if os.path.exists(target):
            os.remove(target)
        if vm.poll() is None:
            os.killpg(vm.pid, 15)
            try:
                vm.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(vm.pid, 9)
        reader.join(timeout=5)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    b.need_root(SCRIPT)
    for tool, package in (("qemu-system-x86_64", "qemu-system-x86"), ("busybox", "busybox-static"), ("cpio", "cpio"),
                          ("curl", "curl")):
        b.need(SCRIPT, tool, package)
    b.terminate_on_signals()
    work = tempfile.mkdtemp(prefix="virtio-download-")
    ours, linux = [], []  # per run: [first download, second download]
    try:
        big = os.path.join(work, "big.bin")
        expected = write_file(big)
        target = build_ours(work, big)
        image = os.path.join(work, "ours")
        os.makedirs(image)
        for name in ("vmlinuz", "initrd.img", "cmdline", "run.sh"):
            shutil.copy2(os.path.join(target, name), image)
        guest = build_linux_guest(work, target, big)
        with b.Namespaces("bench-virtio") as spaces:
            ns = spaces.add("tap")
            b.tap(spaces, ns, "10.0.0.1/24")
            for i in range(runs):  # alternate, so that load on the machine hits both alike
                ours.append(download(spaces, ns, image, expected, ["--", "--ipv4=10.0.0.2/24"]))
                linux.append(download(spaces, ns, guest, expected, []))
                print(f"run {i + 1}: ours {ours[-1][0]:.2f} then {ours[-1][1]:.2f} MB/s, "
                      f"Linux guest {linux[-1][0]:.2f} then {linux[-1][1]:.2f} MB/s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = ["| 100 MiB over HTTP from the guest, virtio-net-pci on a tap (TCG) | first download after boot | second | runs (first, second) |",
            "| --- | --- | --- | --- |"]
    medians = []
    for name, runs_of in (("ours: the http app, Java virtio-net driver, direct stack", ours),
                          ("Linux guest: same kernel and QEMU options, the kernel's virtio_net, busybox httpd", linux)):
        first, second = b.median([r[0] for r in runs_of]), b.median([r[1] for r in runs_of])
        medians.append((first, second))
        rows.append(f"| {name} | {first:.2f} MB/s | {second:.2f} MB/s | "
                    f"{'; '.join(f'{r[0]:.2f}, {r[1]:.2f}' for r in runs_of)} |")
    (ours_first, ours_second), (linux_first, linux_second) = medians
    rows.append(f"| **ratio ours / Linux guest** | **{ours_first / linux_first:.2f}x** | **{ours_second / linux_second:.2f}x** "
                f"| sha256 checked on every download |")
    table = "\n".join(rows)
    body = (f"Measured {b.today()} on {b.machine()} (KVM does not run guests here, so QEMU uses TCG), by "
            f"`sudo benchmarks/virtio-download.py {runs}`; curl downloads from the tap's namespace.\n\n{table}\n")
    b.write_section(SCRIPT, "kvm target: a 100 MiB download over virtio-net, ours vs a Linux guest", body)
    print(table)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
