#!/bin/sh
# Boots the mirage4j unikernel @NAME@ under QEMU. Made by mirage4j's image builder.
#
# usage: run.sh [--tap IFNAME] [--disk FILE] [--machine pc|microvm] [--mem MB] [--kvm|--tcg] [-- keys...]
#   --tap IFNAME  a virtio-net NIC on the existing tap device IFNAME
#   --disk FILE   a virtio-blk disk on the raw disk image FILE (written back; flushes reach FILE)
#   --machine M   pc (default; virtio over PCI) or microvm (virtio-mmio, no PCI)
#   --mem MB      the VM's memory (default @MEMORY_MB@)
#   --kvm, --tcg  the accelerator; by default KVM when a short probe shows it runs guests, else TCG
#   -- keys...    runtime keys for the unikernel, such as --port=8081
# The console is this terminal; Ctrl-A x stops the VM, Ctrl-\ prints the unikernel's threads.
#
# Exit status: the unikernel's (0..255); 125 when the VM stopped without reporting one (a kernel
# panic, QEMU failing) or run.sh was used wrongly (with a message).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
qemu=${QEMU:-qemu-system-x86_64}
mem=@MEMORY_MB@
tap=
disk=
machine=pc
accel=auto

fail() { echo "run.sh: $*" >&2; exit 125; }
usage() { sed -n '4,12s/^# \{0,1\}//p' "$0"; exit "$1"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --tap) [ $# -ge 2 ] || fail "--tap needs a tap device name, as --tap tap0."; tap=$2; shift 2 ;;
    --tap=*) tap=${1#--tap=}; shift ;;
    --disk) [ $# -ge 2 ] || fail "--disk needs a disk image file, as --disk disk.img."; disk=$2; shift 2 ;;
    --disk=*) disk=${1#--disk=}; shift ;;
    --machine) [ $# -ge 2 ] || fail "--machine needs pc or microvm."; machine=$2; shift 2 ;;
    --machine=*) machine=${1#--machine=}; shift ;;
    --mem) [ $# -ge 2 ] || fail "--mem needs a size in MB, as --mem 512."; mem=$2; shift 2 ;;
    --mem=*) mem=${1#--mem=}; shift ;;
    --kvm) accel=kvm; shift ;;
    --tcg) accel=tcg; shift ;;
    -h|--help) usage 0 ;;
    --) shift; break ;;
    *) fail "unknown option '$1': runtime keys go after --, as: run.sh -- --port=8081 (run.sh --help lists the options)." ;;
  esac
done
case "$mem" in ''|*[!0-9]*) fail "--mem takes a whole number of MB, as --mem 512, not '$mem'." ;; esac
case "$machine" in pc|microvm) ;; *) fail "--machine takes pc or microvm, not '$machine'." ;; esac
if [ -n "$disk" ]; then
  [ -f "$disk" ] || fail "the disk image '$disk' does not exist: create it first, as: truncate -s 64M $disk."
  [ -w "$disk" ] || fail "the disk image '$disk' is not writable: chmod u+w $disk."
  case "$disk" in *,*) fail "the disk image '$disk' has a comma in its path, which QEMU's -drive cannot take: rename it." ;; esac
fi
command -v "$qemu" >/dev/null 2>&1 || fail "$qemu is missing: install QEMU (on Debian: apt-get install qemu-system-x86)."

cmdline=$(cat "$here/cmdline")
# The kernel passes at most 31 words after -- to init: the JVM's and the runtime keys.
words=$(printf '%s\n' "${cmdline#* -- }" | wc -w)
[ $((words + $#)) -le 31 ] || fail "too many runtime keys: the kernel passes at most 31 words to the JVM and $words are taken; give keys on the kernel command line as mirage.NAME=VALUE instead."
for key in "$@"; do
  case "$key" in
    *\"*) fail "the runtime key '$key' has a double quote, which a kernel command line cannot carry." ;;
    *" "*) cmdline="$cmdline \"$key\"" ;;
    *) cmdline="$cmdline $key" ;;
  esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Whether KVM runs guests: /dev/kvm may open while guests never run. Boot the kernel without an
# initramfs and wait (2 s at most) for its first console line.
kvm_runs() {
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
  "$qemu" -accel kvm -cpu host -m 128 -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$tmp/probe" -kernel "$here/vmlinuz" -append "console=ttyS0 panic=-1" >/dev/null 2>&1 &
  probe=$!
  tries=0
  while [ $tries -lt 20 ] && ! grep -q 'Linux version' "$tmp/probe" 2>/dev/null; do sleep 0.1; tries=$((tries + 1)); done
  kill "$probe" 2>/dev/null || true
  wait "$probe" 2>/dev/null || true
  grep -q 'Linux version' "$tmp/probe" 2>/dev/null
}
if [ "$accel" = auto ]; then
  if kvm_runs; then accel=kvm; else accel=tcg; fi
fi
if [ "$accel" = kvm ]; then cpu=host; else cpu=max; fi
if [ "$machine" = microvm ]; then
  # microvm has no PCI bus: pci=off spares the kernel looking for one.
  extra=pci=off
  if [ "$accel" = tcg ]; then
    # Nor has it an HPET or ACPI PM timer to calibrate the TSC against, and under TCG calibrating
    # against the PIT fails, which hangs the kernel: give it the TSC's rate, under TCG the host's.
    khz=$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo 2>/dev/null || true)
    extra="$extra tsc_early_khz=${khz:-1000000}"
  fi
  cmdline="${cmdline%% -- *} $extra -- ${cmdline#* -- }"
fi

# pc: virtio over PCI, handed to uio_pci_generic in the guest. microvm: virtio-mmio at microvm's
# fixed addresses (QEMU also names them on the kernel command line when the machine has no ACPI);
# its one serial port is the console, so the status port is an extra ISA serial port at ttyS1's.
if [ "$machine" = microvm ]; then
  set -- -M microvm,auto-kernel-cmdline=on -global virtio-mmio.force-legacy=false -serial mon:stdio \
    -chardev "file,id=status,path=$tmp/status" -device isa-serial,chardev=status,iobase=0x2f8,irq=3
  bus=device
else
  set -- -serial mon:stdio -serial "file:$tmp/status"
  bus=pci
fi
set -- "$@" -accel "$accel" -cpu "$cpu" -m "$mem" -nodefaults -no-user-config -display none -no-reboot \
  -kernel "$here/vmlinuz" -initrd "$here/initrd.img" -append "$cmdline"
if [ -n "$tap" ]; then
  set -- "$@" -netdev "tap,id=net0,ifname=$tap,script=no,downscript=no" -device "virtio-net-$bus,netdev=net0"
fi
if [ -n "$disk" ]; then
  set -- "$@" -drive "file=$disk,format=raw,if=none,id=disk0,cache=writeback" -device "virtio-blk-$bus,drive=disk0"
fi

qemu_status=0
"$qemu" "$@" || qemu_status=$?

# The guest writes its exit status to its second serial port (see org.mirage4j.boot.PowerOff).
status=$(tr -dc '0-9' < "$tmp/status" 2>/dev/null || true)
if [ -n "$status" ]; then exit "$status"; fi
if [ "$qemu_status" -ne 0 ]; then fail "QEMU failed (exit status $qemu_status)."; fi
fail "the VM stopped without reporting an exit status (a kernel panic? see the console output above)."
