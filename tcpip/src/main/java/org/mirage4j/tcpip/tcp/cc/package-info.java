/**
 * Congestion control for the TCP engine: {@link org.mirage4j.tcpip.tcp.cc.CongestionControl} and its two
 * algorithms, NewReno (RFC 5681, RFC 3465) and CUBIC (RFC 9438), chosen per engine by
 * {@link org.mirage4j.tcpip.tcp.cc.CongestionAlgorithm} (CUBIC by default). Both share one slow start: cwnd grows by
 * the octets each acknowledgment newly covers, up to one 64 KiB offload burst per acknowledgment and never past
 * ssthresh, so that it doubles per round trip also against a peer that acknowledges coalesced segments.
 *
 * <p>An algorithm only sizes the congestion window and the slow-start threshold; deciding what to retransmit during
 * loss recovery is the sender's ({@code org.mirage4j.tcpip.tcp.Sender}). Nothing here reads a clock, does I/O or is
 * thread-safe: an instance belongs to one connection, and time comes in as monotonic nanoseconds.
 */
package org.mirage4j.tcpip.tcp.cc;
