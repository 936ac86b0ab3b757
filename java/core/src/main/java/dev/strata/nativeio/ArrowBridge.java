package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Describes an Arrow FixedSizeListVector of float32 to native code through the Arrow C Data
 * Interface, filling ArrowArray / ArrowSchema with FFM (arrow-c-data needs JNI). The structs point
 * at the vector's own buffers: nothing is copied, so the vector must stay unchanged and open while
 * the exported structs are in use. The library only borrows them; release just marks them released.
 */
@SuppressWarnings("restricted") // this package is where Strata is allowed to use restricted FFM methods
public final class ArrowBridge {
    /** The two C structs of one exported vector; valid while their arena is open. */
    public record Exported(MemorySegment array, MemorySegment schema, int rows, int dim) {}

    private static final VarHandle SCHEMA_RELEASE =
            StrataNative.ARROW_SCHEMA.varHandle(PathElement.groupElement("release"));
    private static final VarHandle ARRAY_RELEASE =
            StrataNative.ARROW_ARRAY.varHandle(PathElement.groupElement("release"));
    private static final MemorySegment RELEASE_SCHEMA = upcall("releaseSchema");
    private static final MemorySegment RELEASE_ARRAY = upcall("releaseArray");

    private ArrowBridge() {}

    /** Exports a FixedSizeList&lt;float32&gt; vector without nulls. */
    public static Exported export(FixedSizeListVector vector, Arena arena) {
        if (vector == null) {
            throw new IllegalArgumentException("arrow vector is null");
        }
        if (!(vector.getDataVector() instanceof Float4Vector values)) {
            throw new IllegalArgumentException("expected a FixedSizeList of float32, its child is "
                    + vector.getDataVector().getMinorType());
        }
        int dim = vector.getListSize();
        int rows = vector.getValueCount();
        if (dim <= 0) {
            throw new IllegalArgumentException("FixedSizeList size must be positive, got " + dim);
        }
        if (vector.getNullCount() > 0 || values.getNullCount() > 0) {
            throw new IllegalArgumentException("arrow vectors must not contain nulls");
        }
        long floats = (long) rows * dim;
        if (values.getDataBuffer().capacity() < floats * Float.BYTES) {
            throw new IllegalArgumentException("float32 child holds fewer than " + floats + " values");
        }
        long dataAddress = rows == 0 ? 0 : values.getDataBuffer().memoryAddress();

        MemorySegment childSchema = schema(arena, "f", MemorySegment.NULL, 0);
        MemorySegment children = arena.allocate(ADDRESS);
        children.set(ADDRESS, 0, childSchema);
        MemorySegment schema = schema(arena, "+w:" + dim, children, 1);

        MemorySegment childBuffers = arena.allocate(ADDRESS, 2);
        childBuffers.setAtIndex(ADDRESS, 0, MemorySegment.NULL);
        childBuffers.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(dataAddress));
        MemorySegment childArray = array(arena, floats, 2, childBuffers, MemorySegment.NULL, 0);
        MemorySegment parentBuffers = arena.allocate(ADDRESS);
        parentBuffers.set(ADDRESS, 0, MemorySegment.NULL);
        MemorySegment arrayChildren = arena.allocate(ADDRESS);
        arrayChildren.set(ADDRESS, 0, childArray);
        MemorySegment array = array(arena, rows, 1, parentBuffers, arrayChildren, 1);
        return new Exported(array, schema, rows, dim);
    }

    private static MemorySegment schema(Arena arena, String format, MemorySegment children, long nChildren) {
        MemorySegment s = arena.allocate(StrataNative.ARROW_SCHEMA);
        set(s, StrataNative.ARROW_SCHEMA, "format", arena.allocateFrom(format));
        set(s, StrataNative.ARROW_SCHEMA, "name", arena.allocateFrom(""));
        set(s, StrataNative.ARROW_SCHEMA, "metadata", MemorySegment.NULL);
        setLong(s, StrataNative.ARROW_SCHEMA, "flags", 0);
        setLong(s, StrataNative.ARROW_SCHEMA, "n_children", nChildren);
        set(s, StrataNative.ARROW_SCHEMA, "children", children);
        set(s, StrataNative.ARROW_SCHEMA, "dictionary", MemorySegment.NULL);
        set(s, StrataNative.ARROW_SCHEMA, "release", RELEASE_SCHEMA);
        set(s, StrataNative.ARROW_SCHEMA, "private_data", MemorySegment.NULL);
        return s;
    }

    private static MemorySegment array(Arena arena, long length, long nBuffers, MemorySegment buffers,
            MemorySegment children, long nChildren) {
        MemorySegment a = arena.allocate(StrataNative.ARROW_ARRAY);
        setLong(a, StrataNative.ARROW_ARRAY, "length", length);
        setLong(a, StrataNative.ARROW_ARRAY, "null_count", 0);
        setLong(a, StrataNative.ARROW_ARRAY, "offset", 0);
        setLong(a, StrataNative.ARROW_ARRAY, "n_buffers", nBuffers);
        setLong(a, StrataNative.ARROW_ARRAY, "n_children", nChildren);
        set(a, StrataNative.ARROW_ARRAY, "buffers", buffers);
        set(a, StrataNative.ARROW_ARRAY, "children", children);
        set(a, StrataNative.ARROW_ARRAY, "dictionary", MemorySegment.NULL);
        set(a, StrataNative.ARROW_ARRAY, "release", RELEASE_ARRAY);
        set(a, StrataNative.ARROW_ARRAY, "private_data", MemorySegment.NULL);
        return a;
    }

    private static void set(MemorySegment struct, java.lang.foreign.StructLayout layout, String field, MemorySegment value) {
        struct.set(ADDRESS, layout.byteOffset(PathElement.groupElement(field)), value);
    }

    private static void setLong(MemorySegment struct, java.lang.foreign.StructLayout layout, String field, long value) {
        struct.set(JAVA_LONG, layout.byteOffset(PathElement.groupElement(field)), value);
    }

    // The buffers belong to the Java vector, so releasing only marks the struct released, as the spec requires.
    private static void releaseSchema(MemorySegment schema) {
        SCHEMA_RELEASE.set(schema.reinterpret(StrataNative.ARROW_SCHEMA.byteSize()), 0L, MemorySegment.NULL);
    }

    private static void releaseArray(MemorySegment array) {
        ARRAY_RELEASE.set(array.reinterpret(StrataNative.ARROW_ARRAY.byteSize()), 0L, MemorySegment.NULL);
    }

    private static MemorySegment upcall(String method) {
        try {
            var handle = MethodHandles.lookup().findStatic(ArrowBridge.class, method,
                    MethodType.methodType(void.class, MemorySegment.class));
            return Linker.nativeLinker().upcallStub(handle, FunctionDescriptor.ofVoid(ADDRESS), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
