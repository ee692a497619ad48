package dev.kopi.hub;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code flock(2)} through FFM: the lock Python's filelock (and so huggingface_hub) takes on Linux and macOS.
 * Java's own {@code FileChannel.lock} takes POSIX record locks instead, which do not exclude flock holders, so
 * without this a kopi pull and a Python download of the same blob would not see each other.
 */
final class NativeFlock {
    private static final int LOCK_EX = 2;
    private static final int LOCK_UN = 8;
    private static final int O_RDWR = 2;
    private static final int EINTR = 4;

    private static final MethodHandle OPEN;
    private static final MethodHandle FLOCK;
    private static final MethodHandle CLOSE;
    private static final MethodHandle STRERROR;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;
    private static final int O_CREAT;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean linux = os.contains("linux");
        boolean mac = os.contains("mac");
        MethodHandle open = null;
        MethodHandle flock = null;
        MethodHandle close = null;
        MethodHandle strerror = null;
        StructLayout state = null;
        VarHandle errno = null;
        if (linux || mac) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                Linker.Option ccs = Linker.Option.captureCallState("errno");
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        ccs, Linker.Option.firstVariadicArg(2));
                flock = linker.downcallHandle(libc.find("flock").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ccs);
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                strerror = linker.downcallHandle(libc.find("strerror").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                                ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError unavailable) {
                open = null;
            }
        }
        OPEN = open;
        FLOCK = flock;
        CLOSE = close;
        STRERROR = strerror;
        CALL_STATE = state;
        ERRNO = errno;
        O_CREAT = mac ? 0x200 : 0x40;
    }

    private NativeFlock() {}

    /** Whether this platform locks with flock (else callers use FileChannel locks). */
    static boolean available() {
        return OPEN != null;
    }

    /** Opens (creating) the file and blocks until it holds an exclusive flock on it; returns the descriptor. */
    static int lockExclusive(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_RDWR | O_CREAT, 0644);
            if (fd < 0) {
                throw failure("cannot open " + file, state);
            }
            while ((int) FLOCK.invokeExact(state, fd, LOCK_EX) != 0) {
                if ((int) ERRNO.get(state, 0L) != EINTR) {
                    IOException e = failure("cannot lock " + file, state);
                    int ignored = (int) CLOSE.invokeExact(fd);
                    throw e;
                }
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot lock " + file + ": " + t, t);
        }
    }

    /** Releases the lock and closes the descriptor. */
    static void unlock(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ignored = (int) FLOCK.invokeExact(state, fd, LOCK_UN);
            ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // closing the descriptor releases the lock in any case; nothing more can be done
        }
    }

    private static IOException failure(String what, MemorySegment state) throws Throwable {
        int errno = (int) ERRNO.get(state, 0L);
        MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
        return new IOException(what + ": " + message.getString(0));
    }
}
