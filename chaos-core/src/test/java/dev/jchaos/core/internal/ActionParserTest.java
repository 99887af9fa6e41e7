package dev.jchaos.core.internal;

import dev.jchaos.core.ChaosConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionParserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "delay(200ms)                                          | delay(200ms)",
        "delay(200)                                            | delay(200ms)",
        "delay( 1.5s )                                         | delay(1500ms)",
        "delay(50ms..300ms)                                    | delay(50ms..300ms)",
        "delay(50ms .. 2s)                                     | delay(50ms..2s)",
        "delay(100us)                                          | delay(100us)",
        "delay(250ns)                                          | delay(250ns)",
        "delay(2m)                                             | delay(2m)",
        "delay(120s)                                           | delay(2m)",
        "25%delay(50ms..300ms)                                 | 25%delay(50ms..300ms)",
        "0.5%delay(1ms)                                        | 0.5%delay(1ms)",
        "100%delay(1ms)                                        | delay(1ms)",
        "0%delay(1ms)                                          | 0%delay(1ms)",
        "3*delay(10ms)->off                                    | 3*delay(10ms)->off",
        "50%2*hang->delay(1ms)                                 | 50%2*hang->delay(1ms)",
        "hang                                                  | hang",
        "hang(5s)                                              | hang(5s)",
        "off                                                   | off",
        "throw(java.io.IOException)                            | throw(java.io.IOException)",
        "3*throw(java.net.SocketTimeoutException,Read timed out)->off | 3*throw(java.net.SocketTimeoutException,Read timed out)->off",
        "throw(java.lang.IllegalStateException, broken (really), yes) | throw(java.lang.IllegalStateException,\"broken (really), yes\")",
        "throw(java.lang.IllegalStateException,\"a \\\"quoted\\\" -> text\") | throw(java.lang.IllegalStateException,\"a \\\"quoted\\\" -> text\")",
        "  delay(1ms)  ->  hang(2s)                            | delay(1ms)->hang(2s)",
    })
    void validActionsParseToCanonicalText(String input, String canonical) {
        assertThat(Program.parse(input)).hasToString(canonical);
        assertThat(Program.parse(canonical)).hasToString(canonical);
    }

    @ParameterizedTest(name = "{0}: column {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "~~                          | 1  | no actions given",
        "delay                       | 6  | expected '(' after delay",
        "delay()                     | 7  | expected a duration such as 50ms",
        "delay(abc)                  | 7  | expected a duration such as 50ms",
        "delay(10x)                  | 9  | unknown unit 'x'",
        "delay(10ms                  | 11 | expected ')' to close delay(",
        "delay(300ms..50ms)          | 14 | delay range must not end before it starts",
        "delay(-5ms)                 | 7  | expected a duration",
        "sleep(1s)                   | 1  | unknown action 'sleep'",
        "101%delay(1ms)              | 1  | percent must be from 0 to 100 but was 101",
        "0*delay(1ms)                | 1  | count must be at least 1 but was 0",
        "1.5*delay(1ms)              | 1  | count must be a whole number",
        "25delay(1ms)                | 3  | expected '%' or '*' after 25",
        "delay(1ms)->                | 13 | expected an action",
        "delay(1ms) hang             | 12 | unexpected 'h' after the actions",
        "throw()                     | 7  | expected an exception class name",
        "throw(1abc)                 | 7  | '1abc' is not a fully qualified class name",
        "throw(java..Foo)            | 7  | is not a fully qualified class name",
        "throw(java.io.IOException   | 26 | expected ')' to close throw(",
        "hang(                       | 6  | expected a duration",
    })
    void malformedActionsNameTheColumn(String input, int column, String reason) {
        assertThatThrownBy(() -> Program.parse(input))
                .isInstanceOf(ChaosConfigException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("\"" + input + "\"")
                .satisfies(e -> assertThat(((ChaosConfigException) e).column()).isEqualTo(column));
    }

    @Test
    void errorMessagePointsAtTheColumnWithACaret() {
        assertThatThrownBy(() -> Program.parse("25%delay(abc)"))
                .hasMessage("expected a duration such as 50ms at column 10 of \"25%delay(abc)\"\n"
                        + "  25%delay(abc)\n"
                        + "           ^");
    }

    @Test
    void configHoldsSeveralEntriesSeparatedBySemicolons() {
        List<ConfigEntry> entries = ConfigEntry.parseAll(
                "com.acme.*=25%delay(50ms..300ms); a.B#m=3*throw(java.io.IOException,x; y)->off;;");
        assertThat(entries).extracting(ConfigEntry::pattern).containsExactly("com.acme.*", "a.B#m");
        assertThat(entries.get(1).program()).hasToString("3*throw(java.io.IOException,\"x; y\")->off");
    }

    @Test
    void configWithoutActionsIsRejectedAtItsColumn() {
        assertThatThrownBy(() -> ConfigEntry.parseAll("a=delay(1ms);b"))
                .isInstanceOf(ChaosConfigException.class)
                .hasMessageContaining("expected '=' and actions after point pattern 'b'")
                .satisfies(e -> assertThat(((ChaosConfigException) e).column()).isEqualTo(15));
    }

    @Test
    void configWithTrailingGarbageIsRejected() {
        assertThatThrownBy(() -> ConfigEntry.parseAll("a=delay(1ms) b=off"))
                .hasMessageContaining("expected ';' or the end of the config at column 14");
    }

    @Test
    void patternsMatchIdsWithGlobs() {
        assertThat(Glob.of("com.acme.*").matches("com.acme.Pricing#quote")).isTrue();
        assertThat(Glob.of("com.acme.*").matches("com.other.Pricing#quote")).isFalse();
        assertThat(Glob.of("*nventory*").matches("dev.jchaos.sample.InventoryClient#reserve")).isTrue();
        assertThat(Glob.of("*").matches("anything")).isTrue();
        assertThat(Glob.of("a.B#m").matches("a.B#m")).isTrue();
        assertThat(Glob.of("a*b*c").matches("axxbyyc")).isTrue();
        assertThat(Glob.of("a*b*c").matches("axxbyy")).isFalse();
        assertThat(Glob.of("*#quote").matches("com.acme.Pricing#quote")).isTrue();
        // no backtracking blow-up: this took minutes with a regular expression
        String many = "a*".repeat(30) + "b";
        assertThat(Glob.of(many).matches("a".repeat(5000))).isFalse();
        assertThat(Glob.of("a.B#m").matches("a.B#mm")).isFalse();
        assertThat(Glob.of("a.(x)*").matches("a.(x)y")).isTrue();
        assertThatThrownBy(() -> Glob.of("a b")).hasMessageContaining("unexpected 'b' in point pattern");
        assertThatThrownBy(() -> Glob.of("")).hasMessageContaining("expected a point id or pattern");
    }

    @Test
    void durationsAloneParseForSystemProperties() {
        assertThat(Durations.parse("60s")).isEqualTo(60_000_000_000L);
        assertThat(Durations.parse("250")).isEqualTo(250_000_000L);
        assertThatThrownBy(() -> Durations.parse("10min")).hasMessageContaining("unknown unit 'min'");
    }

    @Test
    void annotationAttributesBecomeActions() {
        assertThat(Program.declared(100, 0, 1.0, -1)).hasToString("delay(100ms)");
        assertThat(Program.declared(50, 250, 0.25, 3)).hasToString("25%3*delay(50ms..300ms)");
        assertThat(Program.declared(100, 0, 0.0, -1)).hasToString("off");
        assertThat(Program.declared(100, 0, 1.0, 0)).hasToString("off");
        assertThatThrownBy(() -> Program.declared(-1, 0, 1.0, -1))
                .hasMessage("@InjectDelay(ms) must not be negative but was -1");
        assertThatThrownBy(() -> Program.declared(1, -2, 1.0, -1))
                .hasMessageContaining("@InjectDelay(jitterMs) must not be negative");
        assertThatThrownBy(() -> Program.declared(1, 0, 1.5, -1))
                .hasMessageContaining("@InjectDelay(probability) must be within 0.0..1.0 but was 1.5");
        assertThatThrownBy(() -> Program.declared(1, 0, 1.0, -2))
                .hasMessageContaining("@InjectDelay(times) must be -1 (unlimited), 0 (off) or more but was -2");
    }
}
