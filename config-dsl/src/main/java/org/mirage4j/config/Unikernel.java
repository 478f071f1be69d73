package org.mirage4j.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mirage4j.api.RuntimeKey;

/**
 * A unikernel: a name, a job and its devices, for one target. Made by {@link Mirage#register}.
 *
 * @param name the unikernel's name, used in logs, {@code --help} and image file names
 * @param target the target it was configured for
 * @param job the job and its devices
 */
public record Unikernel(String name, Target target, JobSpec job) {

    /** Every device, each after the devices it depends on (the order they are connected in). */
    public List<Impl<?>> devicesInConnectOrder() {
        Set<Impl<?>> ordered = new LinkedHashSet<>();
        for (Impl<?> device : job.devices()) visit(device, ordered, new LinkedHashSet<>());
        return List.copyOf(ordered);
    }

    private static void visit(Impl<?> device, Set<Impl<?>> ordered, Set<Impl<?>> path) {
        if (ordered.contains(device)) return;
        if (!path.add(device)) {
            throw new ConfigException("Device " + device.name() + " depends on itself; check the devices passed to it in Config.java.");
        }
        for (Impl<?> dependency : device.dependencies()) visit(dependency, ordered, path);
        path.remove(device);
        ordered.add(device);
    }

    /**
     * Every runtime key: the job's, then the devices', once each by name.
     *
     * @throws ConfigException when two keys share a name but differ in type or default
     */
    public List<RuntimeKey<?>> keys() {
        Map<String, RuntimeKey<?>> byName = new LinkedHashMap<>();
        List<RuntimeKey<?>> all = new ArrayList<>(job.keys());
        for (Impl<?> device : devicesInConnectOrder()) all.addAll(device.keys());
        for (RuntimeKey<?> key : all) {
            RuntimeKey<?> earlier = byName.putIfAbsent(key.name(), key);
            if (earlier != null && (earlier.type() != key.type() || !earlier.defaultText().equals(key.defaultText()))) {
                throw new ConfigException("Key --" + key.name() + " is declared twice with different types or defaults ("
                        + earlier.type() + " and " + key.type() + "); give one of them another name in Config.java.");
            }
        }
        return List.copyOf(byName.values());
    }
}
