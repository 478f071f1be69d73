package org.mirage4j.config.generator;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import org.mirage4j.config.ConfigException;
import org.mirage4j.config.Impl;

/**
 * Embeds one directory into the application (MirageOS's {@code crunch}): copies its files into the
 * generated resources, and writes a Dagger module whose index lists each file with its size and
 * SHA-256, so the unikernel never lists a directory or scans the class path.
 */
final class CrunchWriter {

    /** A directory of more than this many bytes is better served from a block device. */
    static final long MAX_TOTAL_BYTES = 256L * 1024 * 1024;

    private static final ClassName CRUNCHED_FILE = ClassName.get("org.mirage4j.runtime.kv", "CrunchedFile");
    private static final ClassName CRUNCHED_KV = ClassName.get("org.mirage4j.runtime.kv", "CrunchedKvRo");
    private static final ClassName KV_RO = ClassName.get("org.mirage4j.api.kv", "KvRo");

    private final Impl<?> device;
    private final Path directory;
    private final String header;

    CrunchWriter(Impl<?> device, Path directory, String header) {
        this.device = device;
        this.directory = directory;
        this.header = header;
    }

    /** Copies the files under {@code resources} and returns the module's source. */
    JavaFile moduleSource(Path resources) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new ConfigException("m.crunch(\"" + device.crunch().orElseThrow() + "\") in Config.java names "
                    + directory + ", which is not a directory; create it or fix the path (it is relative to the application's base directory).");
        }
        String resourceBase = "crunch/" + device.name() + "/";
        Path target = resources.resolve(UnikernelGenerator.PACKAGE).resolve("crunch").resolve(device.name());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        CodeBlock.Builder index = CodeBlock.builder();
        long total = 0;
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace('\\', '/');
            byte[] bytes = Files.readAllBytes(file);
            total += bytes.length;
            if (total > MAX_TOTAL_BYTES) {
                throw new ConfigException("m.crunch(\"" + device.crunch().orElseThrow() + "\") holds more than "
                        + (MAX_TOTAL_BYTES >> 20) + " MiB, too much to embed in the application; serve it from a block device instead.");
            }
            Path copy = target.resolve(relative);
            Files.createDirectories(copy.getParent());
            Files.write(copy, bytes);
            index.add(index.isEmpty() ? "\n" : ",\n");
            index.add("new $T($S, $S, $LL, $S, $LL)", CRUNCHED_FILE, "/" + relative, resourceBase + relative,
                    bytes.length, HexFormat.of().formatHex(sha256(bytes)), Files.getLastModifiedTime(file).toMillis());
        }
        String className = ClassName.bestGuess(device.daggerModule()).simpleName();
        TypeSpec type = TypeSpec.classBuilder(className)
                .addJavadoc(header)
                .addJavadoc("\nDevice $S: the $L files of {@code $L}, embedded at build time and served by {@code CrunchedKvRo}.\n",
                        device.name(), files.size(), device.crunch().orElseThrow())
                .addAnnotation(ClassName.get("dagger", "Module"))
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), CRUNCHED_FILE), "FILES",
                                Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.of($>$L$<)", List.class, index.build())
                        .build())
                .addMethod(MethodSpec.methodBuilder(device.name())
                        .addAnnotation(ClassName.get("dagger", "Provides"))
                        .addAnnotation(ClassName.get("jakarta.inject", "Singleton"))
                        .addModifiers(Modifier.STATIC)
                        .returns(KV_RO)
                        .addStatement("return new $T($S, $L.class, FILES)", CRUNCHED_KV, device.name(), className)
                        .build())
                .build();
        return JavaFile.builder(UnikernelGenerator.PACKAGE, type).skipJavaLangImports(true).indent("    ").build();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
