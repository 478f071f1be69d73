package org.mirage4j.config;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.Job;
import org.mirage4j.api.RuntimeKey;

/**
 * A job with the devices passed to it, in the order of its constructor's device parameters, and
 * the runtime keys it takes. Made by {@link Mirage#main}.
 *
 * @param job the job class
 * @param devices the devices, in the order of the constructor's device parameters
 * @param keys the keys the constructor's {@code @Key} parameters name
 */
public record JobSpec(Class<? extends Job> job, List<Impl<?>> devices, List<RuntimeKey<?>> keys) {

    public JobSpec {
        devices = List.copyOf(devices);
        keys = List.copyOf(keys);
    }

    /** This job with {@code more} runtime keys. */
    public JobSpec keys(RuntimeKey<?>... more) {
        List<RuntimeKey<?>> all = new ArrayList<>(keys);
        all.addAll(List.of(more));
        return new JobSpec(job, devices, all);
    }
}
