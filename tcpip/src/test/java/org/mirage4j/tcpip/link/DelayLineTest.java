package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class DelayLineTest {

    private final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        made.forEach(b -> {
            if (b.refCnt() > 0) b.release();
        });
    }

    private QueuedFrame frame(int tag) {
        ByteBuf b = FrameBytes.tracked(new byte[] {(byte) tag});
        made.add(b);
        return new QueuedFrame(b, false);
    }

    private static int tag(DelayLine.Entry e) {
        return e.frame().frame().getByte(0);
    }

    @Property(tries = 100)
    void framesComeOutByDueTimeThenByArrival(Gen gen) {
        AtomicLong clock = new AtomicLong(gen.longValue()); // any origin, wrap-around included
        DelayLine line = new DelayLine(64, clock::get);
        long origin = clock.get();
        int n = gen.intBetween(1, 40);
        long[] due = new long[n];
        for (int i = 0; i < n; i++) {
            due[i] = origin + gen.intBetween(0, 5);
            assertThat(line.offer(frame(i), due[i])).isNotNull();
        }
        clock.set(origin + 5);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(tag(line.take()));
        }
        List<Integer> expected = new ArrayList<>();
        for (int d = 0; d <= 5; d++) {
            for (int i = 0; i < n; i++) {
                if (due[i] == origin + d) expected.add(i);
            }
        }
        assertThat(out).isEqualTo(expected);
        assertThat(line.size()).isZero();
    }

    @Test
    void takeWaitsUntilTheFirstFrameFallsDue() {
        DelayLine line = new DelayLine(4, System::nanoTime);
        long start = System.nanoTime();
        line.offer(frame(1), start + Duration.ofMillis(30).toNanos());
        DelayLine.Entry e = line.take();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(tag(e)).isEqualTo(1);
    }

    @Test
    void anEarlierFrameAddedWhileTakeWaitsComesFirst() throws InterruptedException {
        DelayLine line = new DelayLine(4, System::nanoTime);
        long now = System.nanoTime();
        line.offer(frame(1), now + Duration.ofSeconds(30).toNanos());
        AtomicReference<DelayLine.Entry> taken = new AtomicReference<>();
        Thread taker = Thread.ofPlatform().start(() -> taken.set(line.take()));
        Thread.sleep(20);
        line.offer(frame(2), now);
        taker.join(5_000);
        assertThat(taken.get()).isNotNull();
        assertThat(tag(taken.get())).isEqualTo(2);
    }

    @Test
    void offerRefusesWhenFullAndPutWaitsForRoom() throws InterruptedException {
        DelayLine line = new DelayLine(2, System::nanoTime);
        long now = System.nanoTime();
        assertThat(line.offer(frame(1), now)).isNotNull();
        assertThat(line.offer(frame(2), now)).isNotNull();
        assertThat(line.offer(frame(3), now)).as("full").isNull();
        Thread putter = Thread.ofPlatform().start(() -> line.put(frame(4), now));
        Thread.sleep(20);
        assertThat(putter.isAlive()).as("put waits while full").isTrue();
        assertThat(tag(line.take())).isEqualTo(1);
        putter.join(5_000);
        assertThat(putter.isAlive()).isFalse();
        assertThat(tag(line.take())).isEqualTo(2);
        assertThat(tag(line.take())).isEqualTo(4);
    }

    @Test
    void removeTakesAFrameOutOnce() {
        DelayLine line = new DelayLine(4, System::nanoTime);
        DelayLine.Entry e = line.offer(frame(1), System.nanoTime());
        assertThat(line.holds(e)).isTrue();
        assertThat(line.remove(e)).isTrue();
        assertThat(line.holds(e)).isFalse();
        assertThat(line.remove(e)).isFalse();
        assertThat(line.size()).isZero();
    }

    @Test
    void closeHandsBackTheFramesAndEndsWaiting() throws InterruptedException {
        DelayLine line = new DelayLine(4, System::nanoTime);
        QueuedFrame a = frame(1);
        line.offer(a, System.nanoTime() + Duration.ofMinutes(1).toNanos());
        AtomicReference<Object> taken = new AtomicReference<>("not returned yet");
        Thread taker = Thread.ofPlatform().start(() -> taken.set(line.take()));
        Thread.sleep(20);
        assertThat(line.close()).containsExactly(a);
        taker.join(5_000);
        assertThat(taker.isAlive()).isFalse();
        assertThat(taken.get()).isNull();
        assertThat(line.close()).as("a second close").isEmpty();
        QueuedFrame b = frame(2);
        assertThat(line.offer(b, 0)).isNull();
        assertThat(line.put(b, 0)).isNull();
        assertThat(line.take()).isNull();
    }

    @Test
    void waitingIgnoresInterruptsButKeepsTheFlag() throws InterruptedException {
        DelayLine line = new DelayLine(4, System::nanoTime);
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread taker = Thread.ofPlatform().start(() -> {
            DelayLine.Entry e = line.take();
            flag.set(Thread.currentThread().isInterrupted() && e != null);
        });
        Thread.sleep(20);
        taker.interrupt();
        Thread.sleep(20);
        assertThat(taker.isAlive()).as("an interrupt does not end take").isTrue();
        line.offer(frame(1), System.nanoTime());
        taker.join(5_000);
        assertThat(flag.get()).isTrue();
    }
}
