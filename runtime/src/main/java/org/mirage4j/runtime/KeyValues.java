package org.mirage4j.runtime;

import java.util.Map;
import org.mirage4j.api.RuntimeKey;

/**
 * The values of the runtime keys given at start, defaults filled in. Immutable; the generated
 * wiring reads it to provide each {@code @Key} parameter.
 */
public final class KeyValues {

    private final Map<String, Object> values;

    KeyValues(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * The value of {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} was not among the keys the command line was parsed against
     */
    public <T> T get(RuntimeKey<T> key) {
        Object value = values.get(key.name());
        if (value == null) {
            throw new IllegalArgumentException("Key --" + key.name() + " was not declared for this unikernel.");
        }
        return key.type().javaType().cast(value);
    }
}
