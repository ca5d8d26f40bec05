package io.lxcautoscale.model.observe;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes Prometheus' text exposition format 0.0.4: per metric family one {@code # HELP} and one
 * {@code # TYPE} line, then its samples, each {@code name{label="value",...} value}. Names follow the
 * Prometheus naming rules (checked here: a counter ends in {@code _total}); label values are escaped.
 */
public final class PrometheusText {
    /** The {@code Content-Type} of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> families = new HashSet<>();
    private String current;

    /** Starts a family; its samples follow. {@code type} is {@code gauge} or {@code counter}. */
    public PrometheusText family(String name, String type, String help) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (!type.equals("gauge") && !type.equals("counter")) {
            throw new IllegalArgumentException("type must be gauge or counter: " + type);
        }
        if (type.equals("counter") != name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name, and only a counter's, ends in _total: " + name);
        }
        if (!families.add(name)) {
            throw new IllegalArgumentException("family written twice: " + name);
        }
        current = name;
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample of the current family; {@code labels} are name, value pairs. */
    public PrometheusText sample(double value, String... labels) {
        if (current == null) {
            throw new IllegalStateException("sample before family");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        out.append(current);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("not a label name: " + labels[i]);
                }
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escapeLabelValue(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    public String text() {
        return out.toString();
    }

    static String escapeLabelValue(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A value as the format writes it: {@code NaN}, {@code +Inf}, {@code -Inf}, integers without a fraction. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
