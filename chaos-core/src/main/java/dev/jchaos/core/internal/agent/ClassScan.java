package dev.jchaos.core.internal.agent;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the weaver needs to know of a class before weaving it, read from its bytes without loading anything: its
 * version, its methods (flags, name, descriptor, declared exceptions) and the annotations on them and on the class.
 */
final class ClassScan extends ClassVisitor {

    static final String INJECT_DELAY = "Ldev/jchaos/annotations/InjectDelay;";
    static final String INJECT_DELAYS = "Ldev/jchaos/annotations/InjectDelays;";

    /** An annotation: its descriptor and the attribute values given (defaults are not in the class file). */
    static final class Annotation {
        final String descriptor;
        final Map<String, Object> values = new HashMap<>();
        final List<Annotation> nested = new ArrayList<>();

        Annotation(String descriptor) {
            this.descriptor = descriptor;
        }

        String string(String name, String fallback) {
            Object v = values.get(name);
            return v instanceof String ? (String) v : fallback;
        }

        long number(String name, long fallback) {
            Object v = values.get(name);
            return v instanceof Number ? ((Number) v).longValue() : fallback;
        }

        double decimal(String name, double fallback) {
            Object v = values.get(name);
            return v instanceof Number ? ((Number) v).doubleValue() : fallback;
        }
    }

    /** A method of the class. */
    static final class Method {
        final int access;
        final String name;
        final String descriptor;
        final String[] exceptions;
        final List<Annotation> annotations = new ArrayList<>();

        Method(int access, String name, String descriptor, String[] exceptions) {
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
            this.exceptions = exceptions == null ? new String[0] : exceptions;
        }

        String key() {
            return name + descriptor;
        }

        boolean weavable() {
            return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC
                    | Opcodes.ACC_BRIDGE)) == 0 && !name.equals("<init>") && !name.equals("<clinit>");
        }

        boolean isPublic() {
            return (access & Opcodes.ACC_PUBLIC) != 0;
        }
    }

    int version;
    String name;
    final List<Annotation> annotations = new ArrayList<>();
    final List<Method> methods = new ArrayList<>();

    private ClassScan() {
        super(Opcodes.ASM9);
    }

    /** Scans {@code bytes}; reads no code. */
    static ClassScan of(byte[] bytes) {
        ClassScan scan = new ClassScan();
        new ClassReader(bytes).accept(scan, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return scan;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
                      String[] interfaces) {
        this.version = version & 0xFFFF;
        this.name = name.replace('/', '.');
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        Annotation a = new Annotation(descriptor);
        annotations.add(a);
        return reader(a);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        Method m = new Method(access, name, descriptor, exceptions);
        methods.add(m);
        return new MethodVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String annotationDescriptor, boolean visible) {
                Annotation a = new Annotation(annotationDescriptor);
                m.annotations.add(a);
                return reader(a);
            }
        };
    }

    /** Reads attribute values; the nested annotations of a container such as {@code @InjectDelays}. */
    private static AnnotationVisitor reader(Annotation into) {
        return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String attribute, Object value) {
                into.values.put(attribute, value);
            }

            @Override
            public AnnotationVisitor visitArray(String attribute) {
                return new AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String unnamed, String descriptor) {
                        Annotation inner = new Annotation(descriptor);
                        into.nested.add(inner);
                        return reader(inner);
                    }
                };
            }
        };
    }
}
