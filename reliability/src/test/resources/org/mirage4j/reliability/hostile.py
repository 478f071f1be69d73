"""Issue 9's malformed packets, crafted with scapy and sent on a tap at the direct stack behind it.

Usage: python3 hostile.py IFACE STACK_MAC STACK_IP PEER_IP PORT
Prints "sent N" when done. Every class of the issue's list is here (DNS aside: the stack has none).
"""
import sys

from scapy.all import ARP, ICMP, IP, TCP, UDP, BOOTP, DHCP, Ether, Raw, conf, fragment, get_if_hwaddr, sendp

iface, stack_mac, stack_ip, peer_ip, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
conf.verb = 0
our_mac = get_if_hwaddr(iface)
eth = Ether(src=our_mac, dst=stack_mac)
ip = IP(src=peer_ip, dst=stack_ip)
frames = []


def raw_ip(packet):
    """The packet's bytes as built (checksums and lengths filled in), to be damaged before sending."""
    return bytearray(bytes(packet))


# Truncated headers: every prefix of a ping, of a TCP SYN and of a UDP datagram.
for whole in (ip / ICMP(id=1, seq=1) / Raw(b"x" * 16), ip / TCP(dport=port, flags="S"), ip / UDP(dport=7) / b"abc"):
    data = bytes(whole)
    for n in range(0, len(data)):
        frames.append(Ether(src=our_mac, dst=stack_mac, type=0x0800) / Raw(data[:n]))

# IHL below 5; total length past the frame; total length below the header; length mismatch IP/UDP.
for ihl in range(0, 5):
    frames.append(eth / IP(src=peer_ip, dst=stack_ip, ihl=ihl) / ICMP())
frames.append(eth / IP(src=peer_ip, dst=stack_ip, len=1400) / ICMP())
frames.append(eth / IP(src=peer_ip, dst=stack_ip, len=10) / ICMP())
frames.append(eth / ip / UDP(dport=7, len=200) / b"short")
frames.append(eth / ip / UDP(dport=7, len=3) / b"short")

# Fragments: overlapping (teardrop), duplicated, tiny, and past 64 KiB.
big = ip / ICMP(id=2, seq=2) / Raw(b"y" * 3000)
pieces = fragment(big, fragsize=1000)
frames += [eth / p for p in pieces[:1]]
frames.append(eth / IP(src=peer_ip, dst=stack_ip, id=pieces[0].id, flags="MF", frag=50, proto=1) / Raw(b"z" * 1000))
frames += [eth / p for p in pieces]
frames += [eth / p for p in pieces]  # duplicates
tiny = fragment(ip / ICMP(id=3, seq=3) / Raw(b"t" * 120), fragsize=8)
frames += [eth / p for p in tiny]
frames.append(eth / IP(src=peer_ip, dst=stack_ip, id=999, frag=8190, proto=1) / Raw(b"p" * 64))

# TCP: options of length 0, 1 and past the header; bad SACK blocks; window scale > 14; urgent pointer past the
# data; data on a SYN; SYN+FIN; RST with a bad sequence number.
for options in (b"\x02\x00\x05\xb4", b"\x08\x01\x00\x00", b"\x01\x01\x01\x03", b"\x02\x28\x05\xb4"):
    seg = raw_ip(ip / TCP(sport=41000, dport=port, flags="S", seq=1000, dataofs=6) / Raw(options))
    frames.append(eth / IP(bytes(seg)))
frames.append(eth / ip / TCP(sport=41001, dport=port, flags="A", seq=1, ack=1,
                             options=[("SAck", (5000, 4000, 0xFFFFFFF0, 0x10, 7, 7))]))
frames.append(eth / ip / TCP(sport=41002, dport=port, flags="S", seq=1, options=[("WScale", 200)]))
frames.append(eth / ip / TCP(sport=41003, dport=port, flags="AU", seq=1, ack=1, urgptr=65000) / b"urgent")
frames.append(eth / ip / TCP(sport=41004, dport=port, flags="S", seq=1) / Raw(b"data on a SYN"))
frames.append(eth / ip / TCP(sport=41005, dport=port, flags="SF", seq=1))
frames.append(eth / ip / TCP(sport=41006, dport=port, flags="R", seq=0xDEADBEEF))
frames.append(eth / ip / TCP(sport=41007, dport=port, flags="SFRPAUEC", seq=1, ack=1))

# ICMP errors quoting truncated packets.
quoted = bytes(IP(src=stack_ip, dst=peer_ip) / TCP(sport=port, dport=41000))
for n in (0, 4, 19, 20, 24):
    frames.append(eth / ip / ICMP(type=3, code=3) / Raw(quoted[:n]))
frames.append(eth / ip / ICMP(type=11, code=0) / Raw(b"\x4f" + quoted[1:20]))

# ARP with odd lengths.
for hwlen, plen in ((0, 4), (255, 4), (6, 0), (6, 16), (16, 255)):
    frames.append(Ether(src=our_mac, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=1, hwsrc=our_mac, psrc=peer_ip, pdst=stack_ip, hwlen=hwlen, plen=plen))
frames.append(Ether(src=our_mac, dst="ff:ff:ff:ff:ff:ff", type=0x0806) / Raw(b"\x00\x01\x08\x00\x06"))

# DHCP options overrunning the packet, to the client port.
dhcp = bytes(BOOTP(op=2, chaddr=bytes.fromhex(stack_mac.replace(":", ""))) /
             DHCP(options=[("message-type", "offer"), "end"]))
frames.append(eth / ip / UDP(sport=67, dport=68) / Raw(dhcp[:-2] + b"\x33\xc8\x00\x00"))
frames.append(eth / ip / UDP(sport=67, dport=68) / Raw(dhcp[:200]))

sendp(frames, iface=iface, inter=0.001)
print("sent", len(frames))
