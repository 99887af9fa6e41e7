package com.acme;

import dev.jchaos.junit.DetectThreadLeaks;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** A virtual thread left waiting (JDK 21+; reflection, as the project compiles for release 17). */
@DetectThreadLeaks(lingerMs = 200)
class VirtualThreadLeakTest {

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void leaksAVirtualThread() throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        Method name = builderType.getMethod("name", String.class);
        Method start = builderType.getMethod("start", Runnable.class);
        Runnable waitForever = () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        start.invoke(name.invoke(builder, "virtual-leak"), waitForever);
    }
}
