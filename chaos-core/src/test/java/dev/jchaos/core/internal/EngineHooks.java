package dev.jchaos.core.internal;

/** Reaches package-private engine steps from tests in other packages. */
public final class EngineHooks {

    private EngineHooks() {
    }

    /** Checks the halt conditions now, as the clock thread does every second. */
    public static String checkHalt(Engine engine) {
        return engine.checkHalt();
    }
}
