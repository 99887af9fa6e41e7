package dev.jchaos.core.internal.agent;

import java.nio.charset.StandardCharsets;

/**
 * Tells from a class file's constant pool, without parsing the class, whether it can declare a point: an annotation
 * in a class file names its type by a pool entry holding the type's descriptor, so a class whose pool has no entry
 * {@code Ldev/jchaos/annotations/InjectDelay;} or {@code ...InjectDelays;} has no {@code @InjectDelay}. The walk
 * steps from entry to entry (a few hundred steps for a typical class) instead of over every byte. JDK types only:
 * it runs for every class the JVM loads.
 */
final class PoolScan {

    private static final byte[] DELAY = "Ldev/jchaos/annotations/InjectDelay;".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] DELAYS = "Ldev/jchaos/annotations/InjectDelays;".getBytes(StandardCharsets.ISO_8859_1);
    /** What the fallback byte scan looks for: the common prefix of both descriptors. */
    private static final byte[] MARKER = "Ldev/jchaos/annotations/InjectDelay".getBytes(StandardCharsets.ISO_8859_1);
    /** Bad-character shifts of {@link #MARKER} for {@link #contains}. */
    private static final int[] SHIFTS = shifts(MARKER);

    private PoolScan() {
    }

    /**
     * Whether the class file's constant pool holds the descriptor of {@code @InjectDelay} or {@code @InjectDelays}.
     * Bytes that are not a constant pool this walk understands (a malformed class, a constant tag of a future Java)
     * are scanned byte by byte instead, so that no class with a point is ever passed over.
     */
    static boolean mentionsInjectDelay(byte[] b) {
        Boolean named = poolNames(b);
        return named != null ? named : contains(b, MARKER);
    }

    /** The walk itself: whether the pool holds either descriptor, or null when these bytes are no pool it knows. */
    static Boolean poolNames(byte[] b) {
        try {
            if (b.length < 10 || u2(b, 0) != 0xCAFE || u2(b, 2) != 0xBABE) {
                return null;
            }
            int count = u2(b, 8);
            int i = 10;
            for (int index = 1; index < count; index++) {
                switch (b[i]) {
                    case 1: // Utf8
                        int length = u2(b, i + 1);
                        if ((length == DELAY.length && at(b, i + 3, DELAY))
                                || (length == DELAYS.length && at(b, i + 3, DELAYS))) {
                            return true;
                        }
                        i += 3 + length;
                        break;
                    case 7: // Class
                    case 8: // String
                    case 16: // MethodType
                    case 19: // Module
                    case 20: // Package
                        i += 3;
                        break;
                    case 15: // MethodHandle
                        i += 4;
                        break;
                    case 3: // Integer
                    case 4: // Float
                    case 9: // Fieldref
                    case 10: // Methodref
                    case 11: // InterfaceMethodref
                    case 12: // NameAndType
                    case 17: // Dynamic
                    case 18: // InvokeDynamic
                        i += 5;
                        break;
                    case 5: // Long
                    case 6: // Double: takes two slots
                        i += 9;
                        index++;
                        break;
                    default:
                        return null;
                }
            }
            return i <= b.length ? Boolean.FALSE : null;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return null;
        }
    }

    private static int u2(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static boolean at(byte[] b, int offset, byte[] expected) {
        if (offset + expected.length > b.length) {
            return false;
        }
        // the descriptors differ from most others in their last bytes: compare from the end
        for (int k = expected.length - 1; k >= 0; k--) {
            if (b[offset + k] != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private static int[] shifts(byte[] needle) {
        int[] shifts = new int[256];
        java.util.Arrays.fill(shifts, needle.length);
        for (int i = 0; i < needle.length - 1; i++) {
            shifts[needle[i] & 0xFF] = needle.length - 1 - i;
        }
        return shifts;
    }

    /** Whether {@code needle} occurs in {@code haystack} (Horspool's scan). */
    static boolean contains(byte[] haystack, byte[] needle) {
        int[] shifts = needle == MARKER ? SHIFTS : shifts(needle);
        int n = needle.length;
        int last = n - 1;
        for (int i = 0; i <= haystack.length - n; i += shifts[haystack[i + last] & 0xFF]) {
            int j = last;
            while (j >= 0 && haystack[i + j] == needle[j]) {
                j--;
            }
            if (j < 0) {
                return true;
            }
        }
        return false;
    }
}
