package org.mirage4j.virtio.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc's {@code syscall(3)} as one downcall handle, linked on first use, with the x86-64 numbers of
 * the calls this module makes. The same shape as boot's handle (a number and six {@code long}s), so
 * that the JVM links no new shape. Thread-safe.
 */
final class Syscall {

    static final long READ = 0;
    static final long WRITE = 1;
    static final long OPEN = 2;
    static final long CLOSE = 3;
    static final long POLL = 7;
    static final long MMAP = 9;
    static final long MUNMAP = 11;
    static final long PREAD64 = 17;
    static final long PWRITE64 = 18;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Syscall() {}

    /** Linked when first used: a class holding only the handle (the holder idiom). */
    private static final class Handle {
        static final MethodHandle SYSCALL = link();

        private static MethodHandle link() {
            Linker linker = Linker.nativeLinker();
            MemorySegment address = linker.defaultLookup().find("syscall")
                    .orElseThrow(() -> new IllegalStateException("libc has no syscall(3) symbol"));
            ValueLayout.OfLong word = ValueLayout.JAVA_LONG;
            FunctionDescriptor numberAndSix = FunctionDescriptor.of(word, word, word, word, word, word, word, word);
            return linker.downcallHandle(address, numberAndSix, Linker.Option.firstVariadicArg(1),
                    Linker.Option.captureCallState("errno"));
        }
    }

    /**
     * Makes system call {@code number}; {@code what} names it in the exception ("pread config of
     * 0000:00:03.0").
     *
     * @throws ErrnoException when it returns -1
     */
    static long call(String what, long number, long a, long b, long c, long d, long e, long f) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long result;
            try {
                result = (long) Handle.SYSCALL.invokeExact(state, number, a, b, c, d, e, f);
            } catch (Throwable t) {
                throw new IllegalStateException("the syscall(3) downcall failed: " + what, t);
            }
            if (result == -1) throw new ErrnoException(what, (int) ERRNO.get(state, 0L));
            return result;
        }
    }
}
