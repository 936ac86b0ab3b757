package dev.strata.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few samples a cost estimate needs, read from a node's {@code /metrics} (Prometheus text exposition format):
 * one metric's samples by the value of one label, and single-sample gauges. Comments, other metrics and other
 * labels are ignored.
 */
public final class PrometheusCounters {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})?\\s+(\\S+)");

    private final String text;

    public PrometheusCounters(String text) {
        this.text = text;
    }

    /** The samples of {@code metric} keyed by their {@code label} value, summed over any other labels. */
    public Map<String, Double> byLabel(String metric, String label) {
        Map<String, Double> out = new LinkedHashMap<>();
        Pattern labelValue = Pattern.compile("(?:^|,)\\s*" + Pattern.quote(label) + "=\"([^\"]*)\"");
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(metric) || m.group(2) == null) {
                continue;
            }
            Matcher v = labelValue.matcher(m.group(2));
            if (v.find()) {
                out.merge(v.group(1), Double.parseDouble(m.group(3)), Double::sum);
            }
        }
        return out;
    }

    /** The first sample of {@code metric}, whatever its labels; empty when the text has none. */
    public OptionalDouble value(String metric) {
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(metric)) {
                return OptionalDouble.of(Double.parseDouble(m.group(3)));
            }
        }
        return OptionalDouble.empty();
    }
}
