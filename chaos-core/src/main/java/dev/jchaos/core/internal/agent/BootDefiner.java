package dev.jchaos.core.internal.agent;

import java.security.ProtectionDomain;

/**
 * Defines a class in the bootstrap loader through the JDK's internal {@code Unsafe}. This class is loaded by a class
 * loader of its own that holds nothing else, and only that loader's module gets {@code jdk.internal.misc} exported:
 * no other code in the JVM gains access to it.
 */
public final class BootDefiner {

    private BootDefiner() {
    }

    /** Defines {@code name} from {@code bytes} in the bootstrap loader. */
    public static Class<?> define(String name, byte[] bytes) throws ReflectiveOperationException {
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        return (Class<?>) unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class).invoke(unsafe, name, bytes, 0, bytes.length, null, null);
    }
}
