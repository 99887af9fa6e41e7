package dev.jchaos.core.internal.agent;

import dev.jchaos.core.internal.boot.Hub;
import org.junit.jupiter.api.Test;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub (JDK-only, it cannot refer to {@link WovenCode}) implements exactly the contract written there. */
class WovenCodeTest {

    @Test
    void hubLinksTheShapesTheContractNames() throws Throwable {
        assertThat(Hub.class.getName()).isEqualTo(WovenCode.HUB);
        Method link = Hub.class.getMethod(WovenCode.LINK, MethodHandles.Lookup.class, String.class, MethodType.class,
                String.class);
        assertThat(Modifier.isStatic(link.getModifiers())).isTrue();
        assertThat(Hub.class.getMethod(WovenCode.LEGACY_ENTER, String.class)).isNotNull();
        assertThat(Hub.class.getMethod(WovenCode.LEGACY_EXIT, String.class, Throwable.class)).isNotNull();

        String key = WovenCode.KEY_PREFIX + "contract-test";
        MutableCallSite enter = new MutableCallSite(WovenCode.ENTER_TYPE);
        MutableCallSite exit = new MutableCallSite(WovenCode.EXIT_TYPE);
        Hub.publish(key, enter, exit);
        try {
            assertThat(Hub.link(MethodHandles.lookup(), WovenCode.ENTER, WovenCode.ENTER_TYPE, key)).isSameAs(enter);
            assertThat(Hub.link(MethodHandles.lookup(), WovenCode.EXIT, WovenCode.EXIT_TYPE, key)).isSameAs(exit);
            // anything else links to nothing rather than failing the woven method
            CallSite odd = Hub.link(MethodHandles.lookup(), "other", WovenCode.ENTER_TYPE, key);
            assertThat(odd).isNotInstanceOf(MutableCallSite.class);
            odd.dynamicInvoker().invoke();
            Hub.link(MethodHandles.lookup(), WovenCode.ENTER, WovenCode.ENTER_TYPE, "unknown").dynamicInvoker().invoke();
        } finally {
            Hub.withdraw(key);
        }
    }

    @Test
    void wovenDescriptorsAreTheContractsTypes() {
        assertThat(MethodType.fromMethodDescriptorString(PointWeaving.ENTER_DESCRIPTOR, null))
                .isEqualTo(WovenCode.ENTER_TYPE);
        assertThat(MethodType.fromMethodDescriptorString(PointWeaving.EXIT_DESCRIPTOR, null))
                .isEqualTo(WovenCode.EXIT_TYPE);
    }
}
