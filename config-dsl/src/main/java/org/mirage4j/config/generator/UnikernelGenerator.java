package org.mirage4j.config.generator;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.config.Impl;
import org.mirage4j.config.Target;
import org.mirage4j.config.Unikernel;

/**
 * Writes the Java source of one unikernel for one target, in the package {@value #PACKAGE}:
 *
 * <ul>
 *   <li>{@code UnikernelComponent}: the Dagger component, listing which implementation is bound
 *       to which interface, one provision method per device and one for the job;
 *   <li>{@code Keys} and {@code KeysModule}: the runtime keys, and their values for Dagger;
 *   <li>{@code Crunch*Module}: one per embedded directory (see {@link CrunchWriter});
 *   <li>{@code Main}: parses the keys and runs the unikernel on the runtime.
 * </ul>
 *
 * The output is meant to be read: each file says where it came from and what it binds.
 */
public final class UnikernelGenerator {

    /** The package of everything generated; {@code mirage.Main} is the main class on every target. */
    public static final String PACKAGE = "mirage";
    /** The generated main class. */
    public static final String MAIN_CLASS = PACKAGE + ".Main";

    private static final ClassName RUNTIME_KEY = ClassName.get("org.mirage4j.api", "RuntimeKey");
    private static final ClassName KEY_TYPE = ClassName.get("org.mirage4j.api", "KeyType");
    private static final ClassName KEY = ClassName.get("org.mirage4j.api", "Key");
    private static final ClassName KEY_VALUES = ClassName.get("org.mirage4j.runtime", "KeyValues");
    private static final ClassName WIRING = ClassName.get("org.mirage4j.runtime", "Wiring");
    private static final ClassName NAMED_DEVICE = WIRING.nestedClass("NamedDevice");
    private static final ClassName MIRAGE_RUNTIME = ClassName.get("org.mirage4j.runtime", "MirageRuntime");
    private static final ClassName BOOT = ClassName.get("org.mirage4j.boot", "Boot");
    private static final ClassName COMPONENT = ClassName.get("dagger", "Component");
    private static final ClassName BINDS_INSTANCE = ClassName.get("dagger", "BindsInstance");
    private static final ClassName MODULE = ClassName.get("dagger", "Module");
    private static final ClassName PROVIDES = ClassName.get("dagger", "Provides");
    private static final ClassName SINGLETON = ClassName.get("jakarta.inject", "Singleton");
    private static final ClassName LIST = ClassName.get(List.class);

    private final Unikernel unikernel;
    private final String configClass;
    private final Path baseDirectory;

    /**
     * @param unikernel the checked configuration (see {@link ConfigCheck})
     * @param configClass the name of the {@code Config} class it came from, for the generated comments
     * @param baseDirectory the application's base directory, against which crunched directories are resolved
     */
    public UnikernelGenerator(Unikernel unikernel, String configClass, Path baseDirectory) {
        this.unikernel = unikernel;
        this.configClass = configClass;
        this.baseDirectory = baseDirectory;
    }

    /**
     * Writes the sources under {@code sources} and the embedded files under {@code resources}.
     *
     * @return the source files written
     */
    public List<Path> write(Path sources, Path resources) throws IOException {
        List<Path> written = new ArrayList<>();
        List<ClassName> modules = new ArrayList<>();
        for (Impl<?> device : unikernel.devicesInConnectOrder()) {
            if (device.crunch().isPresent()) {
                CrunchWriter crunch = new CrunchWriter(device, baseDirectory.resolve(device.crunch().get()), header());
                written.add(write(crunch.moduleSource(resources), sources));
            }
            for (String module : device.daggerModules()) {
                ClassName name = ClassName.bestGuess(module);
                if (!modules.contains(name)) modules.add(name); // devices may share a module, such as the virtio bus
            }
        }
        modules.add(ClassName.get(PACKAGE, "KeysModule"));
        written.add(write(keys(), sources));
        written.add(write(keysModule(), sources));
        written.add(write(component(modules), sources));
        written.add(write(main(), sources));
        return written;
    }

    private Path write(JavaFile file, Path sources) {
        try {
            return file.writeToPath(sources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String header() {
        return "Generated by mirage4j from " + configClass + " for target " + unikernel.target().id()
                + ". Do not edit: change " + configClass.substring(configClass.lastIndexOf('.') + 1)
                + ".java and build again.\n";
    }

    private JavaFile file(TypeSpec type) {
        return JavaFile.builder(PACKAGE, type).skipJavaLangImports(true).indent("    ").build();
    }

    // ---- keys --------------------------------------------------------------------------------

    private JavaFile keys() {
        TypeSpec.Builder type = TypeSpec.classBuilder("Keys")
                .addJavadoc(header())
                .addJavadoc("\nThe runtime keys of unikernel $S: the job's, then its devices'.\n", unikernel.name())
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(javax.lang.model.element.Modifier.PRIVATE).build());
        CodeBlock.Builder all = CodeBlock.builder();
        for (RuntimeKey<?> key : unikernel.keys()) {
            TypeName valueType = ClassName.get(key.type().javaType());
            CodeBlock init = key.defaultText().isPresent()
                    ? CodeBlock.of("$T.optional($S, $T.$L, $S, $S)", RUNTIME_KEY, key.name(), KEY_TYPE,
                            keyTypeConstant(key.type()), key.defaultText().get(), key.doc())
                    : CodeBlock.of("$T.required($S, $T.$L, $S)", RUNTIME_KEY, key.name(), KEY_TYPE,
                            keyTypeConstant(key.type()), key.doc());
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(RUNTIME_KEY, valueType), constant(key.name()),
                            javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.STATIC,
                            javax.lang.model.element.Modifier.FINAL)
                    .initializer(init)
                    .build());
            if (!all.isEmpty()) all.add(", ");
            all.add("$L", constant(key.name()));
        }
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, ParameterizedTypeName.get(RUNTIME_KEY,
                                WildcardTypeName.subtypeOf(Object.class))), "ALL",
                        javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.STATIC,
                        javax.lang.model.element.Modifier.FINAL)
                .addJavadoc("Every key, in the order {@code --help} lists them.\n")
                .initializer("$T.of($L)", List.class, all.build())
                .build());
        return file(type.build());
    }

    private JavaFile keysModule() {
        TypeSpec.Builder type = TypeSpec.classBuilder("KeysModule")
                .addJavadoc(header())
                .addJavadoc("\nProvides each runtime key's value to the {@code @Key} parameters that ask for it.\n")
                .addAnnotation(MODULE)
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(javax.lang.model.element.Modifier.PRIVATE).build());
        for (RuntimeKey<?> key : unikernel.keys()) {
            type.addMethod(MethodSpec.methodBuilder(method(key.name()))
                    .addAnnotation(PROVIDES)
                    .addAnnotation(AnnotationSpec.builder(KEY).addMember("value", "$S", key.name()).build())
                    .addModifiers(javax.lang.model.element.Modifier.STATIC)
                    .returns(ClassName.get(key.type().javaType()))
                    .addParameter(KEY_VALUES, "keys")
                    .addStatement("return keys.get(Keys.$L)", constant(key.name()))
                    .build());
        }
        return file(type.build());
    }

    // ---- component -----------------------------------------------------------------------------

    private JavaFile component(List<ClassName> modules) {
        List<Impl<?>> devices = unikernel.devicesInConnectOrder();
        StringBuilder table = new StringBuilder("<pre>\n");
        int nameWidth = devices.stream().mapToInt(d -> d.name().length()).max().orElse(4);
        int apiWidth = devices.stream().mapToInt(d -> d.api().getSimpleName().length()).max().orElse(4);
        for (Impl<?> d : devices) {
            table.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s  %-" + apiWidth + "s  <- %s%n",
                    d.name(), d.api().getSimpleName(), d.implementation()));
        }
        table.append("</pre>\n");

        CodeBlock.Builder moduleList = CodeBlock.builder().add("{");
        for (int i = 0; i < modules.size(); i++) {
            moduleList.add(i == 0 ? "\n$T.class" : ",\n$T.class", modules.get(i));
        }
        moduleList.add("\n}");

        TypeSpec.Builder type = TypeSpec.interfaceBuilder("UnikernelComponent")
                .addJavadoc(header())
                .addJavadoc("\nThe devices of unikernel $S on target $L, in the order they are connected, and the class that implements each:\n",
                        unikernel.name(), unikernel.target().id())
                .addJavadoc(table.toString())
                .addAnnotation(SINGLETON)
                .addAnnotation(AnnotationSpec.builder(COMPONENT).addMember("modules", moduleList.build()).build())
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC);
        for (Impl<?> d : devices) {
            type.addMethod(MethodSpec.methodBuilder(d.name())
                    .addJavadoc("Device $S: {@code $L}.\n", d.name(), d.implementation())
                    .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.ABSTRACT)
                    .returns(ClassName.get(d.api()))
                    .build());
        }
        type.addMethod(MethodSpec.methodBuilder("job")
                .addJavadoc("The job, made once every device is connected.\n")
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.ABSTRACT)
                .returns(ClassName.get(unikernel.job().job()))
                .build());
        type.addType(TypeSpec.interfaceBuilder("Factory")
                .addAnnotation(COMPONENT.nestedClass("Factory"))
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.STATIC)
                .addMethod(MethodSpec.methodBuilder("create")
                        .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.ABSTRACT)
                        .returns(ClassName.get(PACKAGE, "UnikernelComponent"))
                        .addParameter(com.palantir.javapoet.ParameterSpec.builder(KEY_VALUES, "keys")
                                .addAnnotation(BINDS_INSTANCE).build())
                        .build())
                .build());
        return file(type.build());
    }

    // ---- main ----------------------------------------------------------------------------------

    private JavaFile main() {
        CodeBlock.Builder devices = CodeBlock.builder();
        List<Impl<?>> ordered = unikernel.devicesInConnectOrder();
        for (int i = 0; i < ordered.size(); i++) {
            Impl<?> d = ordered.get(i);
            devices.add(i == 0 ? "\n" : ",\n");
            devices.add("new $T($S, unikernel::$L)", NAMED_DEVICE, d.name(), d.name());
        }
        MethodSpec wire = MethodSpec.methodBuilder("wire")
                .addJavadoc("Builds the devices and the job from the key values; the runtime connects the devices in this order.\n")
                .addModifiers(javax.lang.model.element.Modifier.STATIC)
                .returns(WIRING)
                .addParameter(KEY_VALUES, "keys")
                .addStatement("$T unikernel = DaggerUnikernelComponent.factory().create(keys)", ClassName.get(PACKAGE, "UnikernelComponent"))
                .addStatement("return new $T($T.of($>$L$<), unikernel::job)", WIRING, List.class, devices.build())
                .build();

        MethodSpec.Builder main = MethodSpec.methodBuilder("main")
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.STATIC)
                .addParameter(String[].class, "args");
        if (unikernel.target() == Target.KVM) {
            // PID 1 of the image: Boot mounts, loads modules, reads the keys, and powers off with the status.
            main.addStatement("$T.run(args, keys -> $T.run($S, Keys.ALL, keys.toArray(String[]::new), Main::wire))",
                    BOOT, MIRAGE_RUNTIME, unikernel.name());
        } else {
            main.addStatement("System.exit($T.run($S, Keys.ALL, args, Main::wire))", MIRAGE_RUNTIME, unikernel.name());
        }

        TypeSpec type = TypeSpec.classBuilder("Main")
                .addJavadoc(header())
                .addJavadoc("\nRuns unikernel $S on target $L: job {@code $L}.\n", unikernel.name(), unikernel.target().id(),
                        unikernel.job().job().getName())
                .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(javax.lang.model.element.Modifier.PRIVATE).build())
                .addMethod(main.build())
                .addMethod(wire)
                .build();
        return file(type);
    }

    // ---- names -----------------------------------------------------------------------------------

    /** {@code ipv4-gateway} becomes {@code IPV4_GATEWAY}. */
    static String constant(String keyName) {
        return keyName.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code ipv4-gateway} becomes {@code ipv4Gateway}; a Java keyword such as {@code interface} becomes {@code interfaceKey}. */
    static String method(String keyName) {
        String name = camel(keyName);
        return javax.lang.model.SourceVersion.isKeyword(name) ? name + "Key" : name;
    }

    private static String camel(String keyName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : keyName.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The name of the {@link KeyType} constant that holds {@code type}, such as {@code INT}. */
    private static String keyTypeConstant(KeyType<?> type) {
        for (Field f : KeyType.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == KeyType.class) {
                try {
                    if (f.get(null) == type) return f.getName();
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no KeyType constant holds " + type);
    }
}
