package dev.jchaos.core.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.jchaos.Injection}: one fired injection; its duration is the time injected. */
@Name("dev.jchaos.Injection")
@Label("Injection")
@Category("jchaos")
@Description("A fault jchaos injected: a delay or hang (the event lasts as long as the thread was held) or a throw")
// the point names the method; the thread's own jdk.ThreadPark event beside it has the stack
@StackTrace(false)
final class InjectionEvent extends Event {

    @Label("Point")
    @Description("The point id")
    String point;

    @Label("Action")
    @Description("delay, hang or throw")
    String action;
}
