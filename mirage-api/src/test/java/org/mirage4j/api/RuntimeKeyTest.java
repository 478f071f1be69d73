package org.mirage4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class RuntimeKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"port", "ipv4-gateway", "a", "a1", "x-1-y", "ipv4"})
    void acceptsLowerCaseNamesWithDigitsAndDashes(String name) {
        assertThat(RuntimeKey.required(name, KeyType.INT, "a number").name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Port", "1port", "-port", "--port", "port_number", "port name", "pört", "port=1",
        "PORT", "port.number", " port"})
    void refusesOtherNamesWithAnExample(String name) {
        assertThatThrownBy(() -> RuntimeKey.required(name, KeyType.INT, "a number"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("ipv4-gateway");
    }

    @Property
    void acceptsExactlyTheNamesThatStartWithALetter(Gen gen) {
        String name = gen.bool() ? gen.asciiString(0, 12) : validName(gen);
        boolean valid = !name.isEmpty() && isLower(name.charAt(0))
                && name.chars().allMatch(c -> isLower(c) || (c >= '0' && c <= '9') || c == '-');

        Throwable thrown = catchThrowable(() -> RuntimeKey.required(name, KeyType.STRING, "text"));
        if (valid) {
            assertThat(thrown).as(name).isNull();
        } else {
            assertThat(thrown).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDefaultMustBeAValueOfTheType() {
        assertThatThrownBy(() -> RuntimeKey.optional("port", KeyType.INT, "eighty", "TCP port"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8080");
        assertThat(RuntimeKey.optional("port", KeyType.INT, "8080", "TCP port").defaultText()).contains("8080");
    }

    @Test
    void aRequiredKeyHasNoDefault() {
        RuntimeKey<Integer> key = RuntimeKey.required("port", KeyType.INT, "TCP port");
        assertThat(key.defaultText()).isEmpty();
        assertThat(key.type()).isEqualTo(KeyType.INT);
        assertThat(key.doc()).isEqualTo("TCP port");
    }

    @Test
    void refusesMissingParts() {
        assertThatThrownBy(() -> new RuntimeKey<>(null, KeyType.INT, Optional.empty(), "doc"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RuntimeKey<>("port", null, Optional.empty(), "doc"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RuntimeKey<>("port", KeyType.INT, null, "doc"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RuntimeKey<>("port", KeyType.INT, Optional.empty(), null))
                .isInstanceOf(NullPointerException.class);
    }

    private static String validName(Gen gen) {
        String rest = "abcdefghijklmnopqrstuvwxyz0123456789-";
        StringBuilder name = new StringBuilder().append((char) gen.intBetween('a', 'z'));
        int length = gen.intBetween(0, 15);
        for (int i = 0; i < length; i++) {
            name.append(rest.charAt(gen.intBetween(0, rest.length() - 1)));
        }
        return name.toString();
    }

    private static boolean isLower(int c) {
        return c >= 'a' && c <= 'z';
    }
}
