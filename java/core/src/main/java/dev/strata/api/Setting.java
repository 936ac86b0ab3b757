package dev.strata.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One row of the settings table ({@link Settings#TABLE}): the environment variable that names it, its type, default,
 * unit, one-line doc and bounds. Everything else is derived from the row: the command-line flag
 * ({@code STRATA_CACHE_MEMORY_BYTES} is {@code --cache-memory-bytes}), the parsing of a text value with errors that
 * name the variable, the row of the docs' settings table, and the value in {@link Settings}.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

    /** Who reads a setting. */
    public enum Scope {
        /** A setting of one node: held by {@link Settings}, a flag of every command that opens a node. */
        NODE,
        /** A setting of the HTTP server: a flag of {@code strata serve} only, not held by {@link Settings}. */
        SERVER,
        /** Read once per process from its own environment (by libstrata or a static of the Java code), never a flag. */
        PROCESS
    }

    private final String env;
    private final Scope scope;
    private final boolean store;
    private final String type;
    private final T defaultValue;
    private final String defaultText;
    private final String unit;
    private final String doc;
    private final boolean secret;
    private final BiFunction<String, String, T> parser;

    private Setting(String env, Scope scope, boolean store, String type, T defaultValue, String defaultText,
                    String unit, String doc, boolean secret, BiFunction<String, String, T> parser) {
        if (!env.startsWith(Settings.ENV_PREFIX)) {
            throw new IllegalArgumentException(env + " lacks the " + Settings.ENV_PREFIX + " prefix");
        }
        this.env = env;
        this.scope = scope;
        this.store = store;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.unit = unit;
        this.doc = doc;
        this.secret = secret;
        this.parser = parser;
    }

    /** The environment variable, e.g. {@code STRATA_CACHE_MEMORY_BYTES}. */
    public String env() {
        return env;
    }

    /** The command-line flag, e.g. {@code --cache-memory-bytes}. */
    public String flag() {
        return "--" + env.substring(Settings.ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The name in Java, e.g. {@code cacheMemoryBytes} (the accessor of {@link Settings}). */
    public String field() {
        String[] words = env.substring(Settings.ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("_");
        StringBuilder out = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
        }
        return out.toString();
    }

    public Scope scope() {
        return scope;
    }

    /** Whether it names the object store, so the commands that only open a store (verify, backup...) take it too. */
    public boolean store() {
        return store;
    }

    /** The type as the docs name it: {@code bytes}, {@code ms}, {@code local|s3}, {@code true|false}, ... */
    public String type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the docs show it ("AWS", "SDK chain", "256 MiB" are clearer than null or a raw number). */
    public String defaultText() {
        return defaultText;
    }

    /** The unit of a number ("bytes", "ms", "records"...), or "" for none. */
    public String unit() {
        return unit;
    }

    public String doc() {
        return doc;
    }

    /** Whether the value must never be printed. */
    public boolean secret() {
        return secret;
    }

    /** Whether the value is true or false, so a flag may stand alone ({@code --read-only}). */
    public boolean isSwitch() {
        return Boolean.class.equals(defaultValue == null ? null : defaultValue.getClass());
    }

    /**
     * The value a text names (trimmed).
     *
     * @throws InvalidArgumentException naming {@link #env()}, for a malformed value or one out of bounds
     */
    public T parse(String text) {
        return parser.apply(env, text.trim());
    }

    /**
     * The value {@code environment} gives it (the process's, for a command's own flag that falls back to it), else
     * the default.
     *
     * @throws InvalidArgumentException naming {@link #env()}, for a malformed value
     */
    public T from(java.util.Map<String, String> environment) {
        String v = environment.get(env);
        return v == null ? defaultValue : parse(v);
    }

    @Override
    public String toString() {
        return env;
    }

    /** This row as a setting of the HTTP server ({@link Scope#SERVER}). */
    Setting<T> ofServer() {
        return new Setting<>(env, Scope.SERVER, false, type, defaultValue, defaultText, unit, doc, secret, parser);
    }

    // The kinds of rows. Each parser gets the variable's name, for its errors.

    static Setting<Path> path(String env, String defaultValue, String doc) {
        return new Setting<>(env, Scope.NODE, true, "folder", Path.of(defaultValue), "`" + defaultValue + "`", "",
                doc, false, (name, v) -> {
                    if (v.isEmpty()) {
                        throw new InvalidArgumentException("Setting " + name + " must name a folder");
                    }
                    return Path.of(v);
                });
    }

    static <E extends Enum<E>> Setting<E> choice(String env, boolean store, Class<E> type, E defaultValue, String doc) {
        E[] values = type.getEnumConstants();
        StringBuilder names = new StringBuilder();
        for (E e : values) {
            names.append(names.isEmpty() ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
        }
        String lowerDefault = defaultValue.name().toLowerCase(Locale.ROOT);
        return new Setting<>(env, Scope.NODE, store, names.toString(), defaultValue, "`" + lowerDefault + "`", "", doc,
                false, (name, v) -> {
                    for (E e : values) {
                        if (e.name().equalsIgnoreCase(v)) {
                            return e;
                        }
                    }
                    throw new InvalidArgumentException("Setting " + name + " must be "
                            + names.toString().replace("|", " or ") + ", got \"" + v + "\"");
                });
    }

    static Setting<Boolean> onOff(String env, boolean store, boolean defaultValue, String doc) {
        return new Setting<>(env, Scope.NODE, store, "true|false", defaultValue, "`" + defaultValue + "`", "", doc,
                false, Setting::bool);
    }

    /** Text ({@code type} names what it is: URL, BUCKET...); empty means the default ({@code null} for none, shown as {@code defaultText}). */
    static Setting<String> text(String env, boolean store, String type, String defaultValue, String defaultText,
                                String doc) {
        return new Setting<>(env, Scope.NODE, store, type, defaultValue, defaultText, "", doc, false,
                (name, v) -> v.isEmpty() ? defaultValue : v);
    }

    static Setting<String> secretText(String env, String defaultText, String doc) {
        return new Setting<>(env, Scope.NODE, true, "KEY", null, defaultText, "", doc, true,
                (name, v) -> v.isEmpty() ? null : v);
    }

    static Setting<Long> number(String env, boolean store, long defaultValue, String defaultText, String unit,
                                long min, String doc) {
        return new Setting<>(env, Scope.NODE, store, "number", defaultValue, defaultText, unit, doc, false,
                (name, v) -> atLeast(name, whole(name, v), min));
    }

    static Setting<Integer> integer(String env, boolean store, int defaultValue, String unit, long min, String doc) {
        return new Setting<>(env, Scope.NODE, store, "number", defaultValue, String.valueOf(defaultValue), unit, doc,
                false, (name, v) -> {
                    long n = atLeast(name, whole(name, v), min);
                    if (n > Integer.MAX_VALUE) {
                        throw new InvalidArgumentException("Setting " + name + " is out of range: " + v);
                    }
                    return (int) n;
                });
    }

    /**
     * A setting of the whole process, read from its environment when a node opens and passed on to the code that
     * uses it (libstrata, which reads no environment itself, and the index writer); parsed and checked here like
     * every other row. {@code defaultValue} null: the user's code decides (the CPU's best, the core count).
     */
    static <T> Setting<T> process(String env, String type, T defaultValue, String defaultText, String unit, String doc,
                                  BiFunction<String, String, T> parser) {
        return new Setting<>(env, Scope.PROCESS, false, type, defaultValue, defaultText, unit, doc, false, parser);
    }

    /** A process setting that is one of {@code values}, as written. */
    static Setting<String> processChoice(String env, List<String> values, String defaultText, String doc) {
        return process(env, String.join("|", values), null, defaultText, "", doc, (name, v) -> {
            String value = v.trim().toLowerCase(Locale.ROOT);
            if (!values.contains(value)) {
                throw new InvalidArgumentException("Setting " + name + " must be one of " + String.join(", ", values)
                        + ", got \"" + v + "\"");
            }
            return value;
        });
    }

    /** A process setting that is a whole number in [min, max]. */
    static Setting<Integer> processInteger(String env, int min, int max, String defaultText, String unit, String doc) {
        return process(env, "number", null, defaultText, unit, doc, (name, v) -> {
            long n = atLeast(name, whole(name, v), min);
            if (n > max) {
                throw new InvalidArgumentException("Setting " + name + " must be <= " + max + ", got " + v);
            }
            return (int) n;
        });
    }

    /** A process setting that is true or false. */
    static Setting<Boolean> processOnOff(String env, boolean defaultValue, String doc) {
        return process(env, "true|false", defaultValue, "`" + defaultValue + "`", "", doc, Setting::bool);
    }

    private static boolean bool(String name, String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new InvalidArgumentException("Setting " + name + " must be true or false, got \"" + v + "\"");
    }

    private static long whole(String name, String v) {
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("Setting " + name + " must be a whole number, got \"" + v + "\"");
        }
    }

    private static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new InvalidArgumentException("Setting " + name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setting<?> s && s.env.equals(env);
    }

    @Override
    public int hashCode() {
        return Objects.hash(env);
    }
}
