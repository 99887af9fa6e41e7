package dev.jchaos.core.internal.agent;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.Set;

/**
 * Rewrites, in a class whose races are watched, each call on a {@code java.util} collection that is not
 * thread-safe (or on the interfaces such a collection is reached through, and their iterators) into an
 * {@code invokedynamic} of the same name and stack shape, bootstrapped by the hub with the original call and the
 * call site's name (see {@link WovenCode}). The stack and the frames are unchanged, so nothing else in the class
 * moves. {@code java.util} itself is never rewritten; class files before Java 7 are left as they are.
 */
final class RaceWeaving extends ClassVisitor {

    /** Declared types of receivers whose calls may reach a watched collection. */
    static final Set<String> OWNERS = Set.of("java/util/Map", "java/util/SortedMap", "java/util/NavigableMap",
            "java/util/SequencedMap", "java/util/AbstractMap", "java/util/HashMap", "java/util/LinkedHashMap",
            "java/util/TreeMap", "java/util/Collection", "java/util/SequencedCollection",
            "java/util/AbstractCollection", "java/util/List", "java/util/AbstractList",
            "java/util/AbstractSequentialList", "java/util/ArrayList", "java/util/LinkedList", "java/util/Set",
            "java/util/SortedSet", "java/util/NavigableSet", "java/util/SequencedSet", "java/util/AbstractSet",
            "java/util/HashSet", "java/util/LinkedHashSet", "java/util/TreeSet", "java/util/Queue",
            "java/util/Deque", "java/util/AbstractQueue", "java/util/ArrayDeque", "java/util/PriorityQueue",
            "java/util/Iterator", "java/util/ListIterator", "java/lang/Iterable");

    private static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, WovenCode.HUB.replace('.', '/'),
            WovenCode.RACE, WovenCode.RACE_DESCRIPTOR, false);

    private String className;
    private String sourceFile;
    private boolean modern = true;

    RaceWeaving(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
                      String[] interfaces) {
        modern = (version & 0xFFFF) >= Opcodes.V1_7;
        className = name.replace('/', '.');
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public void visitSource(String source, String debug) {
        sourceFile = source;
        super.visitSource(source, debug);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        return modern && next != null ? new CallSites(next, className + "." + name, sourceFile) : next;
    }

    private static final class CallSites extends MethodVisitor {
        private final String method;
        private final String sourceFile;
        private int line = -1;

        CallSites(MethodVisitor next, String method, String sourceFile) {
            super(Opcodes.ASM9, next);
            this.method = method;
            this.sourceFile = sourceFile;
        }

        @Override
        public void visitLineNumber(int lineNumber, Label start) {
            line = lineNumber;
            super.visitLineNumber(lineNumber, start);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if ((opcode == Opcodes.INVOKEINTERFACE || opcode == Opcodes.INVOKEVIRTUAL) && OWNERS.contains(owner)) {
                Handle original = new Handle(opcode == Opcodes.INVOKEINTERFACE ? Opcodes.H_INVOKEINTERFACE
                        : Opcodes.H_INVOKEVIRTUAL, owner, name, descriptor, isInterface);
                String where = method + "(" + (sourceFile == null ? "Unknown Source"
                        : line > 0 ? sourceFile + ":" + line : sourceFile) + ")";
                super.visitInvokeDynamicInsn(name, "(L" + owner + ";" + descriptor.substring(1), BOOTSTRAP,
                        original, where);
                return;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
    }
}
