package dev.jchaos.core.internal;

/**
 * Checks operator input the way the controller will, without a controller: the command line refuses bad input
 * before it touches any JVM.
 */
public final class Inputs {

    private Inputs() {
    }

    /**
     * Checks a pattern and its actions (blank actions: the declared defaults).
     *
     * @throws dev.jchaos.core.ChaosConfigException quoting the bad text with the column
     */
    public static void checkActivation(String pattern, String actions) {
        checkPattern(pattern);
        if (actions != null && !actions.isBlank()) {
            Program.parse(actions);
        }
    }

    /** Checks a point pattern; see {@link #checkActivation}. */
    public static void checkPattern(String pattern) {
        Glob.of(pattern);
    }

    /** Checks halt conditions and returns them canonical; see {@link #checkActivation}. */
    public static String checkHaltWhen(String conditions) {
        return HaltConditions.parse(conditions).toString();
    }

    /** Checks a duration such as {@code 30s} and returns it in nanoseconds; see {@link #checkActivation}. */
    public static long checkDuration(String duration) {
        return Durations.parse(duration);
    }
}
