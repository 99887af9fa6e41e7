package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The {@code jchaos.*} system properties, read and validated as a whole. */
record Settings(boolean enabled, List<ConfigEntry> points, Long seed, long maxDelayNanos, long ttlNanos,
                boolean jmx, HaltConditions haltWhen, boolean threadSites, List<Glob> races) {

    static final long DEFAULT_MAX_DELAY = TimeUnit.SECONDS.toNanos(60);

    /**
     * Reads the properties; every malformed one is reported in the exception's message (one line each).
     *
     * @throws ChaosConfigException naming the first malformed property, with the others in suppressed exceptions
     */
    static Settings read(Properties props) {
        List<ChaosConfigException> errors = new ArrayList<>();
        boolean enabled = bool(props, "jchaos.enabled", false, errors);
        boolean jmx = bool(props, "jchaos.jmx", true, errors);
        List<ConfigEntry> points = List.of();
        String pointsText = props.getProperty("jchaos.points");
        if (pointsText != null) {
            try {
                points = ConfigEntry.parseAll(pointsText);
            } catch (ChaosConfigException e) {
                errors.add(named("jchaos.points", e));
            }
        }
        Long seed = null;
        String seedText = props.getProperty("jchaos.seed");
        if (seedText != null && !seedText.isBlank()) {
            try {
                seed = Long.parseLong(seedText.strip());
            } catch (NumberFormatException e) {
                errors.add(new ChaosConfigException(seedText, 0, "jchaos.seed must be a whole number (a long)"));
            }
        }
        long maxDelay = duration(props, "jchaos.maxDelay", DEFAULT_MAX_DELAY, errors);
        long ttl = duration(props, "jchaos.ttl", 0, errors);
        List<Glob> races = List.of();
        String racesText = props.getProperty("jchaos.races");
        if (racesText != null && !racesText.isBlank()) {
            List<Glob> parsed = new ArrayList<>();
            int at = 0;
            for (String entry : racesText.split(",", -1)) {
                String glob = entry.strip();
                try {
                    if (glob.isEmpty()) {
                        throw new ChaosConfigException(racesText, at + 1, "empty class glob");
                    }
                    parsed.add(Glob.of(glob));
                } catch (ChaosConfigException e) {
                    errors.add(new ChaosConfigException(racesText, e.column() > 0 ? at + e.column() : at + 1,
                            "jchaos.races: " + e.reason()));
                }
                at += entry.length() + 1;
            }
            races = List.copyOf(parsed);
        }
        HaltConditions haltWhen = HaltConditions.NONE;
        try {
            haltWhen = HaltConditions.parse(props.getProperty("jchaos.haltWhen"));
        } catch (ChaosConfigException e) {
            errors.add(named("jchaos.haltWhen", e));
        }
        boolean threadSites = bool(props, "jchaos.threadSites", false, errors);
        if (!errors.isEmpty()) {
            ChaosConfigException first = errors.get(0);
            for (int i = 1; i < errors.size(); i++) {
                first.addSuppressed(errors.get(i));
            }
            throw first;
        }
        return new Settings(enabled, points, seed, maxDelay, ttl, jmx, haltWhen, threadSites, races);
    }

    private static boolean bool(Properties props, String key, boolean def, List<ChaosConfigException> errors) {
        String text = props.getProperty(key);
        if (text == null) {
            return def;
        }
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        errors.add(new ChaosConfigException(text, 0, key + " must be true or false"));
        return def;
    }

    private static long duration(Properties props, String key, long def, List<ChaosConfigException> errors) {
        String text = props.getProperty(key);
        if (text == null || text.isBlank()) {
            return def;
        }
        try {
            long nanos = Durations.parse(text);
            if (nanos <= 0) {
                errors.add(new ChaosConfigException(text, 0, key + " must be longer than zero"));
                return def;
            }
            return nanos;
        } catch (ChaosConfigException e) {
            errors.add(named(key, e));
            return def;
        }
    }

    private static ChaosConfigException named(String key, ChaosConfigException e) {
        return new ChaosConfigException(e.input(), e.column(), key + ": " + e.reason());
    }

    /** One line per problem, for stderr. */
    static String describe(ChaosConfigException e) {
        StringBuilder sb = new StringBuilder(oneLine(e));
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof ChaosConfigException) {
                sb.append("; ").append(oneLine((ChaosConfigException) s));
            }
        }
        return sb.toString();
    }

    private static String oneLine(ChaosConfigException e) {
        return e.reason() + (e.column() > 0 ? " at column " + e.column() : "") + " in \"" + e.input() + "\"";
    }
}
