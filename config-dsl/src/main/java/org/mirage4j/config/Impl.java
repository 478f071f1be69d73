package org.mirage4j.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mirage4j.api.Device;
import org.mirage4j.api.RuntimeKey;

/**
 * A device chosen for the target: which interface it provides, which class implements it, and
 * what it needs (other devices, runtime keys). The counterpart of functoria's {@code impl}.
 *
 * <p>Implementations are named by class name, not by class: the DSL depends on no implementation
 * module, and the build checks that the chosen ones are on the application's class path.
 *
 * @param api the device interface this provides
 * @param name the device's name: a Java identifier, unique in the unikernel
 * @param implementation the implementing class, for people reading the generated code
 * @param daggerModules the Dagger modules that bind {@code api} to the implementation (the first) and what the
 *     implementation needs bound besides devices (such as where the direct stack gets its address)
 * @param artifact the Maven artifact that holds the implementation, for error messages
 * @param dependencies devices the implementation's constructor takes
 * @param keys runtime keys the implementation's constructor takes
 * @param crunch for an embedded directory, the directory (relative to the application's base directory)
 * @param <T> the device interface
 */
public record Impl<T extends Device>(
        Class<T> api,
        String name,
        String implementation,
        List<String> daggerModules,
        String artifact,
        List<Impl<?>> dependencies,
        List<RuntimeKey<?>> keys,
        Optional<String> crunch) {

    public Impl {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][A-Za-z0-9]*") || javax.lang.model.SourceVersion.isKeyword(name)) {
            throw new ConfigException("Device name '" + name + "' is not valid: use a Java identifier starting with a lower-case letter, such as htdocs.");
        }
        daggerModules = List.copyOf(daggerModules);
        if (daggerModules.isEmpty()) throw new IllegalArgumentException("a device needs a Dagger module");
        dependencies = List.copyOf(dependencies);
        keys = List.copyOf(keys);
    }

    /**
     * A device implemented by a class of some module, bound by a Dagger module of that module.
     * For devices of your own: {@code Impl.of(Block.class, "disk", "com.example.RamDisk",
     * "com.example.RamDiskModule", "com.example:ramdisk")}.
     */
    public static <T extends Device> Impl<T> of(
            Class<T> api, String name, String implementation, String daggerModule, String artifact,
            List<Impl<?>> dependencies, List<RuntimeKey<?>> keys) {
        return new Impl<>(api, name, implementation, List.of(daggerModule), artifact, dependencies, keys, Optional.empty());
    }

    /** The Dagger module that binds {@link #api()} to the implementation. */
    public String daggerModule() {
        return daggerModules.getFirst();
    }

    /** This device with one more Dagger module to include, and the runtime keys that module reads. */
    public Impl<T> with(String daggerModule, List<RuntimeKey<?>> moreKeys) {
        List<String> modules = new java.util.ArrayList<>(daggerModules);
        modules.add(daggerModule);
        List<RuntimeKey<?>> allKeys = new java.util.ArrayList<>(keys);
        allKeys.addAll(moreKeys);
        return new Impl<>(api, name, implementation, modules, artifact, dependencies, allKeys, crunch);
    }

    /** The implementing class's simple name. */
    public String implementationSimpleName() {
        return implementation.substring(implementation.lastIndexOf('.') + 1);
    }
}
