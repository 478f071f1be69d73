package org.mirage4j.net.unix;

import org.mirage4j.api.DeviceException;

/**
 * Connects a {@link TapNetwork} to the interface named by its argument and prints the outcome on
 * one line; run as a separate process by tests that need a process with fewer privileges.
 */
final class AttachProbe {

    private AttachProbe() {}

    public static void main(String[] args) throws Exception {
        TapNetwork tap = new TapNetwork(args[0], "", "");
        try {
            tap.connect();
            System.out.println("connected");
        } catch (DeviceException e) {
            System.out.println(e.getMessage());
        } finally {
            tap.disconnect();
        }
    }
}
