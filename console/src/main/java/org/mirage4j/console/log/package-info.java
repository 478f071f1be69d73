/**
 * Log routing as MirageOS's {@code Logs} with its {@code -l} option: every {@link java.lang.System.Logger} in
 * the process writes through {@link org.mirage4j.console.log.Logs} to the console.
 *
 * <ul>
 *   <li>{@link org.mirage4j.console.log.LogLevels} parses the {@code -l} text ({@code tcpip:debug,*:info}) and
 *       gives each source its {@link org.mirage4j.console.log.LogLevel}; a source covers its dotted children.
 *   <li>{@link org.mirage4j.console.log.LogsLoggerFinder}, registered in
 *       {@code META-INF/services/java.lang.System$LoggerFinder}, makes {@code System.getLogger(name)} return
 *       loggers that write through {@code Logs}; {@link org.mirage4j.console.log.NettyLogging#install()} does the
 *       same for netty's own loggers.
 *   <li>{@code Logs} drops what the levels hide, formats the rest as
 *       {@code 2026-11-27T18:26:53.123Z: [INFO] [tcpip.socket] message} (a throwable's stack trace on the next
 *       lines), and writes each entry whole to the attached console, or to standard error while none is.
 * </ul>
 *
 * <h2>Threads</h2>
 * Everything here is safe to use from any thread. An entry is formatted and written on the thread that logs
 * it; nothing here starts a thread. Checking whether a level is shown ({@code isLoggable}) does not allocate,
 * so hidden debug logging costs a few comparisons.
 *
 * <h2>The runtime's part</h2>
 * In {@code main}: {@code NettyLogging.install()} before any buffer exists, {@code Logs.setLevels(...)} from the
 * {@code -l} key, {@code Logs.attach(console)} once the console is connected, and {@code Logs.detach()} before it
 * is disconnected.
 */
package org.mirage4j.console.log;
