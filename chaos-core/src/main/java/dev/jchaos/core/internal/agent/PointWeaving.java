package dev.jchaos.core.internal.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.Map;

/**
 * Weaves the points of a class as {@link WovenCode} describes: an {@code invokedynamic enter()V} first, an
 * {@code invokedynamic exit(Throwable)V} with null before every return, and a handler around the whole body that
 * passes any exception to {@code exit} and throws it on. Class files before Java 7 get static calls into the hub.
 * The handler comes last in the exception table, so the method's own handlers still catch first, and its frame
 * holds no locals, so it is valid whatever the body does with them.
 */
final class PointWeaving extends ClassVisitor {

    private static final String HUB = WovenCode.HUB.replace('.', '/');
    private static final Handle LINK = new Handle(Opcodes.H_INVOKESTATIC, HUB, WovenCode.LINK,
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                    + "Ljava/lang/String;)Ljava/lang/invoke/CallSite;", false);
    static final String ENTER_DESCRIPTOR = "()V";
    static final String EXIT_DESCRIPTOR = "(Ljava/lang/Throwable;)V";

    /** Method (name + descriptor) to its hub key. */
    private final Map<String, String> keys;
    private boolean modern;

    PointWeaving(ClassVisitor next, Map<String, String> keys) {
        super(Opcodes.ASM9, next);
        this.keys = keys;
    }

    /**
     * The class file with the methods of {@code keys} woven as points and, if {@code races}, its collection call
     * sites watched. Here rather than in the weaver, so that ASM loads with the first class to weave, not with the
     * transformer at agent start.
     */
    static byte[] rewrite(byte[] bytes, boolean modern, Map<String, String> keys, boolean races) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        ClassVisitor chain = writer;
        if (races) {
            chain = new RaceWeaving(chain);
        }
        if (!keys.isEmpty()) {
            chain = new PointWeaving(chain, keys);
        }
        // frames are kept as they are (the woven code adds one of its own); before Java 7 there are none to keep
        new ClassReader(bytes).accept(chain, modern ? ClassReader.EXPAND_FRAMES : ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
                      String[] interfaces) {
        modern = (version & 0xFFFF) >= Opcodes.V1_7;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        String key = keys.get(name + descriptor);
        return key == null || next == null ? next : new Woven(next, key, modern);
    }

    private static final class Woven extends MethodVisitor {
        private final String key;
        private final boolean modern;
        private final Label start = new Label();

        Woven(MethodVisitor next, String key, boolean modern) {
            super(Opcodes.ASM9, next);
            this.key = key;
            this.modern = modern;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (modern) {
                super.visitInvokeDynamicInsn(WovenCode.ENTER, ENTER_DESCRIPTOR, LINK, key);
            } else {
                super.visitLdcInsn(key);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HUB, WovenCode.LEGACY_ENTER, "(Ljava/lang/String;)V",
                        false);
            }
            super.visitLabel(start);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                super.visitInsn(Opcodes.ACONST_NULL);
                exit();
            }
            super.visitInsn(opcode);
        }

        private void exit() {
            if (modern) {
                super.visitInvokeDynamicInsn(WovenCode.EXIT, EXIT_DESCRIPTOR, LINK, key);
            } else {
                super.visitLdcInsn(key);
                super.visitInsn(Opcodes.SWAP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HUB, WovenCode.LEGACY_EXIT,
                        "(Ljava/lang/String;Ljava/lang/Throwable;)V", false);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Label end = new Label();
            Label handler = new Label();
            super.visitLabel(end);
            super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
            super.visitLabel(handler);
            if (modern) {
                super.visitFrame(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
            }
            super.visitInsn(Opcodes.DUP);
            exit();
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(maxStack, maxLocals);
        }
    }
}
