package org.mirage4j.config.generator;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mirage4j.api.Key;
import org.mirage4j.config.ConfigException;

/**
 * A job's {@code @Inject} constructor, split into device parameters and key parameters.
 *
 * @param job the job class's name, for messages
 * @param devices the device parameters, in order
 * @param keys the {@code @Key} parameters, in order
 */
record JobSignature(String job, List<Param> devices, List<KeyParam> keys) {

    /** A device parameter: its position among all parameters (1-based), type and name. */
    record Param(int position, Class<?> type, String name) {}

    /** A {@code @Key("name")} parameter. */
    record KeyParam(int position, Class<?> type, String name, String key) {}

    /**
     * Reads the signature of {@code job}.
     *
     * @throws ConfigException when the job has no single, non-private {@code @Inject} constructor
     */
    static JobSignature of(Class<?> job) {
        if (!Modifier.isPublic(job.getModifiers())) {
            throw new ConfigException("Job " + job.getName() + " is not public; make the class public so that the generated wiring can create it.");
        }
        List<Constructor<?>> injectable = Arrays.stream(job.getDeclaredConstructors())
                .filter(JobSignature::isInject)
                .toList();
        if (injectable.size() != 1) {
            throw new ConfigException("Job " + job.getName() + " has " + (injectable.isEmpty() ? "no" : injectable.size())
                    + " @Inject constructors; give it exactly one constructor annotated @jakarta.inject.Inject that takes its devices and keys.");
        }
        Constructor<?> constructor = injectable.getFirst();
        if (Modifier.isPrivate(constructor.getModifiers())) {
            throw new ConfigException("Job " + job.getName() + "'s @Inject constructor is private; make it package-private or public.");
        }
        List<Param> devices = new ArrayList<>();
        List<KeyParam> keys = new ArrayList<>();
        Parameter[] parameters = constructor.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            Parameter p = parameters[i];
            Optional<String> key = keyName(p);
            if (key.isPresent()) {
                keys.add(new KeyParam(i + 1, p.getType(), p.getName(), key.get()));
            } else {
                devices.add(new Param(i + 1, p.getType(), p.getName()));
            }
        }
        return new JobSignature(job.getName(), devices, keys);
    }

    private static boolean isInject(Constructor<?> c) {
        return Arrays.stream(c.getAnnotations()).anyMatch(a -> {
            String name = a.annotationType().getName();
            return name.equals("jakarta.inject.Inject") || name.equals("javax.inject.Inject");
        });
    }

    private static Optional<String> keyName(Parameter p) {
        Key key = p.getAnnotation(Key.class);
        return Optional.ofNullable(key).map(Key::value);
    }
}
