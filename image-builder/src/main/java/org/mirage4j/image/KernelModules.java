package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Finds kernel modules by name in a kernel's {@code modules.order} and orders them so that each
 * comes after the modules it depends on, as {@code modprobe} would load them.
 */
final class KernelModules {

    private final Kernel kernel;
    private final Map<String, Path> byName;

    private KernelModules(Kernel kernel, Map<String, Path> byName) {
        this.kernel = kernel;
        this.byName = byName;
    }

    /** Reads the kernel's {@code modules.order}. */
    static KernelModules of(Kernel kernel) throws IOException {
        Path order = kernel.modules().resolve("modules.order");
        if (!Files.isRegularFile(order)) {
            throw new ImageException("The kernel " + kernel.version() + " has no " + order
                    + "; install its modules with make modules_install.");
        }
        Map<String, Path> byName = new HashMap<>();
        for (String line : Files.readAllLines(order)) {
            String path = line.strip();
            if (path.isEmpty()) continue;
            String file = Path.of(path).getFileName().toString();
            byName.put(canonical(file.substring(0, file.indexOf(".ko"))), kernel.modules().resolve(path));
        }
        return new KernelModules(kernel, byName);
    }

    /**
     * The files of {@code names} and of everything they depend on, each after its dependencies.
     *
     * @throws ImageException when a module is neither in {@code modules.order} nor built in
     */
    List<Path> withDependencies(List<String> names) throws IOException {
        SequencedSet<Path> ordered = new LinkedHashSet<>();
        for (String name : names) add(canonical(name), ordered, new ArrayList<>());
        return List.copyOf(ordered);
    }

    private void add(String name, SequencedSet<Path> ordered, List<String> chain) throws IOException {
        Path file = byName.get(name);
        if (file == null) {
            if (builtIn(name)) return;
            throw new ImageException("The kernel " + kernel.version() + " has no module " + name
                    + "; check the name in " + kernel.modules().resolve("modules.order") + " or use a kernel that has it.");
        }
        if (ordered.contains(file)) return;
        if (chain.contains(name)) throw new ImageException("The kernel modules " + chain + " depend on each other in a circle; use another kernel.");
        chain.add(name);
        for (String dependency : ModInfo.dependencies(file)) add(canonical(dependency), ordered, chain);
        chain.removeLast();
        ordered.add(file);
    }

    private boolean builtIn(String name) throws IOException {
        Path builtin = kernel.modules().resolve("modules.builtin");
        if (!Files.isRegularFile(builtin)) return false;
        try (var lines = Files.lines(builtin)) {
            return lines.map(l -> Path.of(l.strip()).getFileName().toString())
                    .anyMatch(f -> f.endsWith(".ko") && canonical(f.substring(0, f.length() - 3)).equals(name));
        }
    }

    /** The kernel treats {@code -} and {@code _} in module names alike. */
    static String canonical(String name) {
        return name.replace('-', '_');
    }
}
