/**
 * Network devices that sit between the direct stack and the real device, or stand in for it: each one is a
 * {@link org.mirage4j.api.net.Network}, and the decorators wrap another {@code Network} (smoltcp's and gVisor's
 * "devices compose by decoration").
 *
 * <ul>
 *   <li>{@link org.mirage4j.tcpip.link.ChannelLink}: an in-memory device for tests; a test injects the frames the
 *       stack receives and reads the frames it sent.</li>
 *   <li>{@link org.mirage4j.tcpip.link.FaultyNetwork}: drops, duplicates, reorders, delays, flips a bit in and cuts
 *       short the frames passing through, at the rates of a {@link org.mirage4j.tcpip.link.FaultSpec}
 *       ({@code --faults}), from a seed it logs.</li>
 *   <li>{@link org.mirage4j.tcpip.link.PcapNetwork}: writes every frame received and sent to a pcap file
 *       ({@code --pcap}) that Wireshark and tcpdump open.</li>
 *   <li>{@link org.mirage4j.tcpip.link.Links#decorate}: applies {@code --pcap} and {@code --faults} to a device, in
 *       the one order that makes the capture show what the stack saw: stack, capture, faults, device.</li>
 * </ul>
 *
 * <p>What the decorators guarantee:
 * <ul>
 *   <li><b>The {@code Network} contract, unchanged.</b> {@code listen} calls its handler on the calling thread, one
 *       frame at a time, and hands it each frame to own and release; {@code write} calls the filler on the calling
 *       thread with a buffer the filler must neither release nor keep. {@code mac()}, {@code mtu()} and
 *       {@code stats()} are the wrapped device's ({@code stats()} counts what crossed the wrapped device).</li>
 *   <li><b>Lifecycle by delegation.</b> A decorator's {@code connect()} sets up its own part (opens the capture file,
 *       seeds the faults) and connects the device it wraps; {@code disconnect()} disconnects that device (which ends
 *       {@code listen}) and finishes its own part (closes the file, logs the counts). Where the device belongs to
 *       someone else, as the network under the stack belongs to the runtime, {@code Links.decorate} lends it to the
 *       decorators through a wrapper whose {@code connect()} and {@code disconnect()} do nothing: the caller then
 *       connects the decorators after the device and disconnects them before it.</li>
 *     <li><b>Every frame passed on or released exactly once.</b> A received frame is damaged only in place by the
 *       one who owns it; a duplicate is a copy, not a buffer sharing bytes; a frame with a send fault is filled into
 *       a buffer of our own. Frames still delayed or held at disconnect are released unsent, as a link going down
 *       loses them.</li>
 *   <li><b>Bounded memory, no unbounded waits.</b> At most 1024 frames wait per direction in the fault injector,
 *       with delays of at most 10 s and holds of at most 10 ms; the capture queues at most 8 MiB of frame copies.
 *       The capture never slows or drops traffic: frames it has no room for are left out of the file and
 *       counted.</li>
 *   <li><b>Repeatable faults.</b> The faults of the n-th frame in each direction depend only on the seed and n; the
 *       seed and the {@code --faults} text that repeats a run are logged at connect, the counts of each fault at
 *       disconnect.</li>
 *   <li><b>Errors a user can cause are one sentence</b> saying what to do: a bad {@code --faults} text
 *       ({@link org.mirage4j.api.DeviceException} from {@code Links.decorate}), a capture file that cannot be
 *       created ({@code DeviceException} from {@code connect()}).</li>
 * </ul>
 *
 * <p>Threads: with receive faults on, the wrapped device's receive loop runs on a platform thread of ours
 * ({@code faults-rx}) and the handler on the thread that called {@code listen}; frames sent late go out on a
 * virtual thread ({@code faults-tx}); the capture file is written by a platform thread ({@code pcap-writer}).
 * Logging: {@link java.lang.System.Logger}s {@code tcpip.faults} and {@code tcpip.pcap}.
 */
package org.mirage4j.tcpip.link;
