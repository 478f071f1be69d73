package org.mirage4j.config.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Key names become Java names in the generated code: constants and provider methods. */
class NamesTest {

    @Test
    void dashesBecomeCamelCaseAndConstants() {
        assertThat(UnikernelGenerator.method("ipv4-gateway")).isEqualTo("ipv4Gateway");
        assertThat(UnikernelGenerator.constant("ipv4-gateway")).isEqualTo("IPV4_GATEWAY");
    }

    @Test
    void aKeyNamedLikeAJavaKeywordStillGivesAValidMethodName() {
        // The tap device's key is --interface.
        assertThat(UnikernelGenerator.method("interface")).isEqualTo("interfaceKey");
        assertThat(UnikernelGenerator.method("default")).isEqualTo("defaultKey");
        assertThat(UnikernelGenerator.constant("interface")).isEqualTo("INTERFACE");
    }
}
