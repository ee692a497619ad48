package dev.kopi.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * The prebuilt llama.cpp shared libraries, loaded once per JVM through FFM, for use as test oracles.
 *
 * <p>Bindings of particular functions (tokenizer, logits, ggml's to_float and quantizers) live in their own
 * classes and look their symbols up here. The CPU backends are loaded with {@code ggml_backend_load_all_from_path}
 * before anything else, as the library expects.
 */
public final class LlamaCppLibrary {
    private static volatile LlamaCppLibrary instance;

    private final SymbolLookup symbols;
    private final Linker linker = Linker.nativeLinker();

    private LlamaCppLibrary(Path dir) {
        Arena global = Arena.global();
        SymbolLookup ggmlBase = SymbolLookup.libraryLookup(dir.resolve("libggml-base.so"), global);
        SymbolLookup ggml = SymbolLookup.libraryLookup(dir.resolve("libggml.v0.4.0.so"), global);
        SymbolLookup llama = SymbolLookup.libraryLookup(dir.resolve("libllama.v0.4.0.so"), global);
        this.symbols = llama.or(ggml).or(ggmlBase);
        MethodHandle loadAll = downcall("ggml_backend_load_all_from_path", FunctionDescriptor.ofVoid(ADDRESS));
        try {
            loadAll.invokeExact(global.allocateFrom(dir.toString()));
        } catch (Throwable t) {
            throw new IllegalStateException("ggml_backend_load_all_from_path failed", t);
        }
    }

    /** The libraries from the installed fixtures; loaded on first use. */
    public static LlamaCppLibrary get() {
        LlamaCppLibrary lib = instance;
        if (lib == null) {
            synchronized (LlamaCppLibrary.class) {
                lib = instance;
                if (lib == null) {
                    instance = lib = new LlamaCppLibrary(Fixtures.llamaCppLibraries());
                }
            }
        }
        return lib;
    }

    /** A method handle for the exported C function {@code name}; fails if the libraries do not export it. */
    public MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment address = symbols.find(name)
                .orElseThrow(() -> new IllegalStateException("llama.cpp libraries export no symbol " + name));
        return linker.downcallHandle(address, descriptor);
    }
}
