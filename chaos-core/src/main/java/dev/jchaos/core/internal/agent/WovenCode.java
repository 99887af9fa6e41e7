package dev.jchaos.core.internal.agent;

import java.lang.invoke.MethodType;

/**
 * The contract between woven methods and jchaos, in one place. A woven method gains, on entry, an
 * {@code invokedynamic enter()V} and, on every exit (normal or by an exception), an
 * {@code invokedynamic exit(Throwable)V} whose argument is the exception or null. Both are bootstrapped by
 * {@code Hub.link(Lookup, String, MethodType, String key)} with the woven method's declaration key, and link to the
 * call sites the controller published under that key before the class was defined. A class file older than Java 7
 * instead gets static calls {@code Hub.legacyEnter(key)} and {@code Hub.legacyExit(key, thrown)}.
 *
 * <p>In a class whose races are watched, each call on a {@code java.util} collection that is not thread-safe
 * ({@code invokevirtual}/{@code invokeinterface} on one of {@code RaceWeaving}'s owners) becomes an
 * {@code invokedynamic} of the same name whose type takes the receiver first, bootstrapped by
 * {@code Hub.race(Lookup, String, MethodType, MethodHandle original, String site)}; whatever happens, it runs the
 * original call.
 *
 * <p>{@code Hub} lives in the bootstrap loader, so a woven class's loader must delegate to it; the weaver checks that
 * before weaving. Only the injected fault ever leaves the entry call; everything else is caught inside jchaos.
 */
public final class WovenCode {

    /** The bootstrap class every woven method links against. */
    public static final String HUB = "dev.jchaos.core.internal.boot.Hub";
    /** The invokedynamic bootstrap method of {@link #HUB}. */
    public static final String LINK = "link";
    public static final String ENTER = "enter";
    public static final String EXIT = "exit";
    public static final MethodType ENTER_TYPE = MethodType.methodType(void.class);
    public static final MethodType EXIT_TYPE = MethodType.methodType(void.class, Throwable.class);
    public static final String LEGACY_ENTER = "legacyEnter";
    public static final String LEGACY_EXIT = "legacyExit";
    /** The invokedynamic bootstrap of watched collection call sites. */
    public static final String RACE = "race";
    public static final String RACE_DESCRIPTOR = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
            + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/String;)"
            + "Ljava/lang/invoke/CallSite;";
    /** Declaration keys start with this, followed by a number unique in the JVM. */
    public static final String KEY_PREFIX = "jchaos/";

    private WovenCode() {
    }
}
