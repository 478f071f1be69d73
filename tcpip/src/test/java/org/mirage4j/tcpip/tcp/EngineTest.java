package org.mirage4j.tcpip.tcp;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The base of the engine tests: harnesses made here are closed after each test, so no buffer outlives it. */
abstract class EngineTest {

    private final List<Harness> harnesses = new ArrayList<>();

    /** A harness over an engine with {@code config}, closed after the test. */
    Harness harness(TcpConfig config) {
        Harness h = new Harness(config);
        harnesses.add(h);
        return h;
    }

    Harness harness() {
        return harness(TcpConfig.DEFAULT);
    }

    /** An established connection from a Linux-like peer, on a harness closed after the test. */
    Opened.Pair passive(TcpConfig config) {
        return Opened.passive(harness(config));
    }

    Opened.Pair passive() {
        return passive(TcpConfig.DEFAULT);
    }

    @AfterEach
    void closeHarnesses() {
        harnesses.forEach(Harness::close);
    }
}
