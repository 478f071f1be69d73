package org.mirage4j.runtime;

import java.util.List;
import java.util.function.Supplier;
import org.mirage4j.api.Device;
import org.mirage4j.api.Job;

/**
 * What the generated code hands the runtime once the key values are known: the devices in
 * dependency order and the job. Suppliers, so that nothing is built before it is needed.
 *
 * @param devices every device, each after the devices it depends on
 * @param job builds the job; called after every device is connected
 */
public record Wiring(List<NamedDevice> devices, Supplier<Job> job) {

    /**
     * One device of the configuration.
     *
     * @param name the device's name in {@code Config.java}, for logs and errors
     * @param device builds (or returns the one) device
     */
    public record NamedDevice(String name, Supplier<? extends Device> device) {}
}
