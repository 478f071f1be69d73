package org.mirage4j.api;

/**
 * An application: the counterpart of the {@code start} function of a MirageOS unikernel.
 *
 * <p>A job is a final class with one {@code @Inject} constructor whose parameters are the devices
 * it needs, in the order {@code Config.java} passes them to {@code main(...)}, followed or
 * interleaved by runtime keys marked {@link Key @Key}. The build checks that constructor against
 * the configuration.
 */
@FunctionalInterface
public interface Job {

    /**
     * Runs the application on the main virtual thread. The unikernel ends when this returns
     * (exit status 0) or throws (exit status 1, the stack trace on the console). A server blocks
     * here, for example in {@link org.mirage4j.api.net.StackV4V6#listen()}.
     */
    void start() throws Exception;
}
