package dev.strata.cli;

import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags of every command that opens a node (serve, import, export, compact, gc): one per setting of the settings
 * table, which the command adds with {@code @Command(modelTransformer = SettingOptions.NodeRows.class)}. A flag not given falls back to its STRATA_* environment variable, then to the
 * default, exactly as Settings reads them (STRATA_* variables that are no setting, like STRATA_JVM_FLAGS, are
 * ignored); S3 credentials come from STRATA_S3_ACCESS_KEY_ID / STRATA_S3_SECRET_ACCESS_KEY or the AWS SDK's chain,
 * never from the command line.
 */
@Command // a mixin with no annotated member must say it is one
public final class NodeMixin {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The environment's settings overridden by the flags given; a usage error naming the flag when they do not fit. */
    public Settings settings() {
        try {
            Settings settings = Settings.defaults().withAll(SettingOptions.given(mixee, System.getenv(), s -> true));
            if (settings.durability() == Settings.Durability.S3 && settings.storage() != Settings.Storage.S3) {
                throw new InvalidArgumentException("Setting STRATA_DURABILITY=s3 needs STRATA_STORAGE=s3: a write"
                        + " waits for its log to reach the object store, and a local one has none");
            }
            return settings;
        } catch (InvalidArgumentException e) {
            throw new ParameterException(mixee.commandLine(), SettingOptions.withFlags(e.getMessage()));
        }
    }

    /** Opens the node (taking its writer lease: the node must not be serving meanwhile). */
    public Strata open() {
        return Strata.open(settings());
    }
}
