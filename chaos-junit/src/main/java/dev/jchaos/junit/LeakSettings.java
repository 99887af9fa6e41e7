package dev.jchaos.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak check of one test: its {@link DetectThreadLeaks} attributes, with the suite-wide configuration
 * parameters that can only turn a policy on. Validated when built; a bad value is named.
 */
record LeakSettings(long lingerMs, List<String> ignoreThreads, boolean minimize, int attempts, boolean shrinkDelays,
                    boolean interrupt, boolean failOnThreadsFromEarlierTests) {

    /** Interrupts every leak-checked test's leaked threads. */
    static final String INTERRUPT = "jchaos.junit.interruptLeaks";
    /** Fails every leak-checked test on threads an earlier test's thread started during it. */
    static final String FAIL_ON_EARLIER = "jchaos.junit.failOnThreadsFromEarlierTests";
    /** A regex of thread names no leak-checked test counts, on top of each test's own {@code ignoreThreads}. */
    static final String IGNORE_THREADS = "jchaos.junit.ignoreThreads";

    LeakSettings {
        ignoreThreads = List.copyOf(ignoreThreads);
    }

    static LeakSettings of(DetectThreadLeaks declared, ExtensionContext context, String where) {
        if (declared.lingerMs() < 0) {
            throw new ExtensionConfigurationException("@DetectThreadLeaks(lingerMs) must not be negative but was "
                    + declared.lingerMs() + where);
        }
        if (declared.attempts() < 1) {
            throw new ExtensionConfigurationException("@DetectThreadLeaks(attempts) must be at least 1 but was "
                    + declared.attempts() + where);
        }
        for (String regex : declared.ignoreThreads()) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ExtensionConfigurationException("@DetectThreadLeaks(ignoreThreads) has a bad regex \""
                        + regex + "\"" + where + ": " + e.getDescription(), e);
            }
        }
        List<String> ignored = new ArrayList<>(List.of(declared.ignoreThreads()));
        Optional<String> suiteWide = context.getConfigurationParameter(IGNORE_THREADS).filter(v -> !v.isBlank());
        if (suiteWide.isPresent()) {
            try {
                Pattern.compile(suiteWide.get());
            } catch (PatternSyntaxException e) {
                throw new ExtensionConfigurationException(IGNORE_THREADS + " is a bad regex \"" + suiteWide.get()
                        + "\": " + e.getDescription(), e);
            }
            ignored.add(suiteWide.get());
        }
        return new LeakSettings(declared.lingerMs(), ignored, declared.minimize(),
                declared.attempts(), declared.shrinkDelays(),
                declared.interrupt() || flag(context, INTERRUPT),
                declared.failOnThreadsFromEarlierTests() || flag(context, FAIL_ON_EARLIER));
    }

    /** A boolean configuration parameter (or system property); absent is false, anything but true/false an error. */
    static boolean flag(ExtensionContext context, String key) {
        Optional<String> value = context.getConfigurationParameter(key);
        if (value.isEmpty()) {
            return false;
        }
        String text = value.get().trim().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new ExtensionConfigurationException(key + " must be true or false but was \"" + value.get() + "\"");
        }
        return text.equals("true");
    }
}
