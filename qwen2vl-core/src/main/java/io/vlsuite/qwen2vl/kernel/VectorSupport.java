package io.vlsuite.qwen2vl.kernel;

/**
 * Whether the Java Vector API ({@code jdk.incubator.vector}) is in the boot layer. It is an incubator module, so
 * the JVM only resolves it when started with {@code --add-modules jdk.incubator.vector}; without it the kernels
 * run plain scalar loops (same results, several times slower) instead of failing with a class-loading error.
 */
public final class VectorSupport {

    public static final String MODULE = "jdk.incubator.vector";

    /** True when the vectorized kernels can be used. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule(MODULE).isPresent()
            && !Boolean.getBoolean("vlsuite.kernel.scalar");

    private VectorSupport() {
    }

    /** A one-line explanation for users when the module is missing. */
    public static String missingModuleMessage() {
        return "the Java Vector API is not enabled; matrix kernels run scalar (slow). Start java with "
                + "--add-modules " + MODULE;
    }
}
