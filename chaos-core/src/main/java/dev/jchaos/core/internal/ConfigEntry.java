package dev.jchaos.core.internal;

/** One {@code pattern=actions} entry of a config. */
record ConfigEntry(String pattern, Program program, int offset) {

    static java.util.List<ConfigEntry> parseAll(String config) {
        return new ActionParser(config).config();
    }
}
