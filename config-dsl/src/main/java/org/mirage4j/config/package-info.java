/**
 * The configuration DSL: what an application's {@code Config.java} is written in, the counterpart
 * of MirageOS's {@code config.ml}.
 *
 * <p>{@code Config.configure(Mirage)} is evaluated at build time, once, for one target. It returns
 * a description (which job, which devices, which keys); the generator turns that description into
 * Java source that Dagger compiles. Nothing here runs in the unikernel.
 *
 * <pre>{@code
 * public final class Config implements MirageConfig {
 *     public Unikernel configure(Mirage m) {
 *         var stack = m.genericStackV4V6(m.defaultNetwork());
 *         var port  = m.key("port", Integer.class, 8080, "TCP port to listen on");
 *         return m.register("http", m.main(Dispatch.class, m.defaultConsole(), stack).keys(port));
 *     }
 * }
 * }</pre>
 */
package org.mirage4j.config;
