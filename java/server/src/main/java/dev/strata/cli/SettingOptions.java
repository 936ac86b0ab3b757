package dev.strata.cli;

import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Setting;
import dev.strata.api.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The flags of the settings table ({@link Settings#TABLE}), made from its rows: one option per setting of a node,
 * named after its variable ({@code STRATA_CACHE_MEMORY_BYTES} is {@code --cache-memory-bytes}), described by its
 * doc, unit and default. A flag not given falls back to its variable, then to the default, as {@link Settings} reads
 * them. Secrets have no flag (a command line is visible to every user of the machine).
 */
final class SettingOptions {

    private static final Pattern NAME = Pattern.compile("(STRATA_[A-Z0-9_]+)(=([^\\s,;)]*[^\\s,;).:]))?");

    private SettingOptions() {
    }

    /** Adds every setting of a node: the options of the commands that open a node (serve, import, compact...). */
    static final class NodeRows implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return add(spec, s -> s.scope() == Setting.Scope.NODE);
        }
    }

    /** Adds the settings that name the object store: the options of the commands that only open it (verify...). */
    static final class StoreRows implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return add(spec, s -> s.scope() == Setting.Scope.NODE && s.store());
        }
    }

    /** Adds every setting of a node and of the HTTP server: the options of serve. */
    static final class ServeRows implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return add(spec, s -> s.scope() == Setting.Scope.NODE || s.scope() == Setting.Scope.SERVER);
        }
    }

    /** Whether the row is a flag: a setting of a node or of the server that is no secret. */
    static boolean isFlag(Setting<?> s) {
        return s.scope() != Setting.Scope.PROCESS && !s.secret();
    }

    private static CommandSpec add(CommandSpec spec, Predicate<Setting<?>> which) {
        for (Setting<?> s : Settings.TABLE) {
            if (isFlag(s) && which.test(s)) {
                OptionSpec.Builder option = OptionSpec.builder(s.flag()).type(String.class)
                        .paramLabel(paramLabel(s)).description(description(s));
                if (s.isSwitch()) {
                    // --read-only alone means true; --read-only=false still turns it off.
                    option.arity("0..1").fallbackValue("true");
                }
                spec.addOption(option.build());
            }
        }
        return spec;
    }

    private static String paramLabel(Setting<?> s) {
        return switch (s.type()) {
            case "number" -> s.unit().isEmpty() ? "N" : s.unit().toUpperCase(java.util.Locale.ROOT);
            case "folder" -> "DIR";
            default -> s.type();
        };
    }

    private static String description(Setting<?> s) {
        String doc = s.doc().replace("`", "");
        String unit = s.unit().isEmpty() ? "" : ", in " + s.unit();
        return Character.toUpperCase(doc.charAt(0)) + doc.substring(1) + " (env " + s.env() + ", default "
                + s.defaultText().replace("`", "") + unit + ").";
    }

    /**
     * The settings {@code which} picks from the process environment, overridden by the flags of {@code spec} given
     * on the command line: what {@link Settings#withAll} takes.
     */
    static Map<String, String> given(CommandSpec spec, Map<String, String> environment, Predicate<Setting<?>> which) {
        Map<String, String> out = new HashMap<>();
        for (Setting<?> s : Settings.TABLE) {
            if (s.scope() != Setting.Scope.NODE || !which.test(s)) {
                continue;
            }
            OptionSpec option = spec.findOption(s.flag());
            String value = option != null && option.getValue() != null ? option.getValue() : environment.get(s.env());
            if (value != null) {
                out.put(s.env(), value);
            }
        }
        return out;
    }

    /**
     * The value of a row that is a flag of {@code spec}: the flag when given, else its variable in
     * {@code environment}, else the default; a usage error naming both when malformed.
     */
    static <T> T value(CommandSpec spec, Setting<T> setting, Map<String, String> environment) {
        OptionSpec option = spec.findOption(setting.flag());
        try {
            return option != null && option.getValue() != null ? setting.parse(option.getValue())
                    : setting.from(environment);
        } catch (InvalidArgumentException e) {
            throw new ParameterException(spec.commandLine(), withFlags(e.getMessage()));
        }
    }

    /**
     * A command's own flag for a setting ({@code strata stats --ttl-ms}): its value when given, else the setting's
     * from the environment, else the default; a usage error naming the variable when that is malformed.
     */
    static <T> T orElse(CommandSpec spec, T given, Setting<T> setting, Map<String, String> environment) {
        if (given != null) {
            return given;
        }
        try {
            return setting.from(environment);
        } catch (InvalidArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * A message of {@link Settings} with each variable that is a flag named as the flag too
     * ("STRATA_S3_BUCKET is required" becomes "--s3-bucket (env STRATA_S3_BUCKET) is required"), so a command line
     * error points at what to change whichever way it was given.
     */
    static String withFlags(String message) {
        Matcher m = NAME.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Setting<?> s = Settings.setting(m.group(1)).filter(SettingOptions::isFlag).orElse(null);
            String replacement = m.group();
            if (s != null) {
                String value = m.group(3) == null ? "" : " " + m.group(3);
                replacement = s.flag() + value + " (env " + s.env() + ")";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
