package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * StrataNative's constants and bindings are copied from native/include/strata.h by hand: this parses
 * the header and fails when the two differ (a renumbered status, a new function without a binding).
 */
class StrataHeaderTest {

    private static final Pattern DEFINE = Pattern.compile("^#define\\s+(STRATA_\\w+)\\s+(-?\\d+)\\b", Pattern.MULTILINE);
    /** A second binding of one function as a critical downcall: strata_assign_critical$MH binds strata_assign. */
    private static final String CRITICAL_VARIANT = "_critical";
    private static final Pattern FUNCTION = Pattern.compile("STRATA_API\\s+[^;]*?\\b(strata_\\w+)\\s*\\(");

    @Test
    void everyNumericDefineHasTheSameValueInStrataNative() throws Exception {
        Map<String, Integer> header = defines(header());
        Map<String, Integer> java = javaConstants();
        assertThat(header).as("#define STRATA_* in strata.h").isNotEmpty().containsKeys("STRATA_OK", "STRATA_ERR_INTERNAL");
        assertThat(java).as("StrataNative's int constants against strata.h").isEqualTo(header);
    }

    @Test
    void everyFunctionHasABindingAndEveryBindingAFunction() throws IOException {
        Set<String> header = functions(header());
        Set<String> java = Stream.of(StrataNative.class.getDeclaredClasses())
                .map(Class::getSimpleName)
                .filter(name -> name.endsWith("$MH"))
                .map(name -> name.substring(0, name.length() - 3))
                .map(name -> name.endsWith(CRITICAL_VARIANT) ? name.substring(0, name.length() - CRITICAL_VARIANT.length()) : name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(header).as("functions declared in strata.h").contains("strata_version", "strata_hnsw_search");
        assertThat(java).as("StrataNative's method handles against strata.h").isEqualTo(header);
    }

    @Test
    void everyBindingLinksToItsFunction() throws Exception {
        // The handles are linked on first use: link each here, so that a binding to a missing symbol fails now.
        Class<?>[] holders = StrataNative.class.getDeclaredClasses();
        assertThat(holders).hasSizeGreaterThan(20);
        for (Class<?> holder : holders) {
            Field handle = holder.getDeclaredField("H");
            handle.setAccessible(true);
            assertThat(handle.get(null)).as(holder.getSimpleName()).isInstanceOf(java.lang.invoke.MethodHandle.class);
        }
    }

    @Test
    void theEnumsCarryTheHeaderCodes() throws IOException {
        Map<String, Integer> header = defines(header());
        for (NativeStatus status : NativeStatus.values()) {
            if (status == NativeStatus.UNKNOWN) {
                continue;
            }
            String name = status == NativeStatus.OK ? "STRATA_OK" : "STRATA_ERR_" + status.name();
            assertThat(status.code()).as(name).isEqualTo(header.get(name));
        }
        for (Space space : Space.values()) {
            assertThat(space.code()).as(space.name()).isEqualTo(header.get("STRATA_SPACE_" + space.name()));
        }
        for (Dispatch dispatch : Dispatch.values()) {
            assertThat(dispatch.code()).as(dispatch.name()).isEqualTo(header.get("STRATA_DISPATCH_" + dispatch.name()));
        }
    }

    @Test
    void theParserReadsDefinesAndDeclarations() {
        String text = """
                #define STRATA_H
                #define STRATA_A 3 /* comment */
                #define STRATA_B -1
                #define ARROW_FLAG_NULLABLE 2
                STRATA_API int32_t strata_one(int32_t a,
                                              int64_t b);
                STRATA_API const char* strata_two(void);
                """;
        assertThat(defines(text)).isEqualTo(Map.of("STRATA_A", 3, "STRATA_B", -1));
        assertThat(functions(text)).containsExactly("strata_one", "strata_two");
    }

    private static Map<String, Integer> defines(String header) {
        Map<String, Integer> defines = new TreeMap<>();
        Matcher m = DEFINE.matcher(header);
        while (m.find()) {
            defines.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return defines;
    }

    private static Set<String> functions(String header) {
        Set<String> functions = new TreeSet<>();
        Matcher m = FUNCTION.matcher(header.replaceAll("/\\*.*?\\*/", " "));
        while (m.find()) {
            functions.add(m.group(1));
        }
        return functions;
    }

    private static Map<String, Integer> javaConstants() throws IllegalAccessException {
        Map<String, Integer> constants = new TreeMap<>();
        for (Field f : StrataNative.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class && f.getName().startsWith("STRATA_")) {
                constants.put(f.getName(), f.getInt(null));
            }
        }
        return constants;
    }

    /** The header, found from the working directory upwards (the module may sit at any depth). */
    private static String header() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path header = dir.resolve("native/include/strata.h");
            if (Files.isRegularFile(header)) {
                return Files.readString(header);
            }
        }
        throw new IllegalStateException("native/include/strata.h not found above " + Path.of("").toAbsolutePath());
    }
}
