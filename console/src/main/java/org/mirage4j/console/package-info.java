/**
 * Console devices: {@link org.mirage4j.console.StdoutConsole standard output and input} for the unix target
 * ({@link org.mirage4j.console.StdoutConsoleModule}) and {@link org.mirage4j.console.SerialConsole the first
 * serial port} for the kvm target ({@link org.mirage4j.console.SerialConsoleModule}).
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread, virtual or platform. {@code log} and {@code write} hold one lock
 * per console for the length of one write, so a line or a buffer reaches the output whole, never interleaved
 * with another. {@code read} blocks the calling thread until input arrives; readers take turns.
 *
 * <h2>Buffer ownership</h2>
 * {@code write} takes ownership of its buffer and releases it, also when it throws. {@code read} returns a
 * buffer that the caller owns and must release, or {@code null} at the end of input.
 *
 * <h2>Logging</h2>
 * Consoles never log through {@link java.lang.System.Logger}: the log sink writes to them
 * ({@link org.mirage4j.console.log.Logs#attach}), and a console that logged would log about itself forever.
 */
package org.mirage4j.console;
