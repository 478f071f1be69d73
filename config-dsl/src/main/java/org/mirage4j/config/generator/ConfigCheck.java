package org.mirage4j.config.generator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.config.ConfigException;
import org.mirage4j.config.Impl;
import org.mirage4j.config.JobSpec;
import org.mirage4j.config.Unikernel;

/**
 * Checks a configuration against the job it names, as OCaml's type checker checks a functor
 * application: every device parameter of the job's constructor gets a device of its type, in
 * order; every {@code @Key} parameter names a declared key of its type. Each failure is one
 * sentence naming the job, the parameter and the fix.
 */
public final class ConfigCheck {

    private ConfigCheck() {}

    /** @throws ConfigException on the first mismatch */
    public static void check(Unikernel unikernel) {
        JobSpec spec = unikernel.job();
        JobSignature signature = JobSignature.of(spec.job());
        checkDevices(signature, spec);
        checkKeys(signature, spec);
        checkDistinctDevices(unikernel);
        unikernel.keys(); // two keys of one name with different types fail here
    }

    private static void checkDevices(JobSignature signature, JobSpec spec) {
        String job = signature.job();
        List<JobSignature.Param> params = signature.devices();
        List<Impl<?>> devices = spec.devices();
        String expected = params.stream().map(p -> p.type().getSimpleName()).collect(Collectors.joining(", "));
        for (int i = 0; i < Math.max(params.size(), devices.size()); i++) {
            if (i >= devices.size()) {
                JobSignature.Param p = params.get(i);
                throw new ConfigException("Job " + job + " needs a " + p.type().getSimpleName() + " for constructor parameter "
                        + p.position() + " (" + p.name() + "), but Config.java passes no device for it; pass one to main("
                        + simple(job) + ".class, ...) in the order " + expected + ".");
            }
            Impl<?> device = devices.get(i);
            if (i >= params.size()) {
                throw new ConfigException("Config.java passes " + devices.size() + " devices to main(" + simple(job)
                        + ".class, ...), but job " + job + "'s constructor takes " + params.size() + " (" + expected
                        + "); remove the extra " + device.api().getSimpleName() + " " + device.name()
                        + " or add a parameter for it to the constructor.");
            }
            JobSignature.Param p = params.get(i);
            if (!p.type().isAssignableFrom(device.api())) {
                throw new ConfigException("Job " + job + "'s constructor parameter " + p.position() + " (" + p.name() + ") is a "
                        + p.type().getSimpleName() + ", but Config.java passes a " + device.api().getSimpleName() + " ("
                        + device.name() + ") there; pass devices to main(" + simple(job) + ".class, ...) in the order " + expected + ".");
            }
        }
    }

    private static void checkKeys(JobSignature signature, JobSpec spec) {
        String job = signature.job();
        Map<String, RuntimeKey<?>> declared = new HashMap<>();
        for (RuntimeKey<?> key : spec.keys()) declared.put(key.name(), key);
        for (JobSignature.KeyParam p : signature.keys()) {
            RuntimeKey<?> key = declared.remove(p.key());
            if (key == null) {
                throw new ConfigException("Job " + job + "'s constructor parameter " + p.position() + " (" + p.name()
                        + ") is @Key(\"" + p.key() + "\"), but Config.java passes no key of that name; declare it with m.key(\""
                        + p.key() + "\", " + boxed(p.type()).getSimpleName() + ".class, default, \"doc\") and pass it to .keys(...).");
            }
            if (KeyType.of(p.type()).orElse(null) != key.type()) {
                throw new ConfigException("Job " + job + "'s constructor parameter " + p.position() + " (" + p.name()
                        + ") is a " + p.type().getSimpleName() + ", but key " + p.key() + " is declared in Config.java as a "
                        + key.type().javaType().getSimpleName() + "; make the two types the same.");
            }
        }
        if (!declared.isEmpty()) {
            String unused = declared.keySet().iterator().next();
            throw new ConfigException("Config.java passes key " + unused + " to job " + job
                    + ", but its constructor has no @Key(\"" + unused + "\") parameter; add one or remove the key from .keys(...).");
        }
    }

    /** Dagger binds one implementation per interface: two different devices of one type cannot both be wired. */
    private static void checkDistinctDevices(Unikernel unikernel) {
        Map<Class<?>, Impl<?>> byApi = new HashMap<>();
        for (Impl<?> device : unikernel.devicesInConnectOrder()) {
            Impl<?> earlier = byApi.putIfAbsent(device.api(), device);
            if (earlier != null) {
                throw new ConfigException("Config.java uses two different " + device.api().getSimpleName() + " devices ("
                        + earlier.name() + " and " + device.name() + "), but a unikernel can have one device of each type "
                        + "in this version; use one of them.");
            }
        }
        Map<String, Impl<?>> byName = new HashMap<>();
        for (Impl<?> device : unikernel.devicesInConnectOrder()) {
            Impl<?> earlier = byName.putIfAbsent(device.name(), device);
            if (earlier != null) {
                throw new ConfigException("Config.java has two devices named " + device.name() + "; give them different names.");
            }
        }
    }

    private static Class<?> boxed(Class<?> c) {
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == boolean.class) return Boolean.class;
        return c;
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
