package io.lxcautoscale.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One section of a YAML configuration file, read key by key into typed values with defaults and ranges.
 *
 * <p>Every getter records the key as known (for unknown-key warnings), records the effective value (for
 * {@code --check-config}) and, when the value is unusable, records one problem naming the key path, the
 * value and what is allowed. Problems are collected so that one run reports all of them.
 */
public final class ConfigNode {
    /** What {@code --check-config} prints in place of a secret. */
    public static final String REDACTED = "(redacted)";

    private final String path;
    private final Map<String, Object> raw;
    private final ConfigReport report;
    private final Map<String, Object> effective;

    ConfigNode(String path, Map<String, Object> raw, ConfigReport report, Map<String, Object> effective) {
        this.path = path;
        this.raw = raw;
        this.report = report;
        this.effective = effective;
    }

    /** The nested section {@code key}; absent or empty means every key of it takes its default. */
    public ConfigNode section(String key) {
        String keyPath = keyPath(key);
        report.known(keyPath);
        Object value = raw.get(key);
        Map<String, Object> childEffective = new LinkedHashMap<>();
        effective.put(key, childEffective);
        if (value == null) {
            return new ConfigNode(keyPath, Map.of(), report, childEffective);
        }
        if (!(value instanceof Map<?, ?> map)) {
            report.problem(keyPath, value, "a section (a map of keys)");
            return new ConfigNode(keyPath, Map.of(), report, childEffective);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return new ConfigNode(keyPath, typed, report, childEffective);
    }

    /** A list of sections (a YAML sequence of maps, e.g. one per container); absent means an empty list. */
    public List<ConfigNode> sectionList(String key) {
        String keyPath = keyPath(key);
        report.known(keyPath);
        Object value = raw.get(key);
        List<Object> childEffective = new ArrayList<>();
        effective.put(key, childEffective);
        List<ConfigNode> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof List<?> list)) {
            report.problem(keyPath, value, "a list of sections (- key: value ...)");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String itemPath = keyPath + "[" + i + "]";
            report.known(itemPath);
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                report.problem(itemPath, list.get(i), "a section (a map of keys)");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            Map<String, Object> itemEffective = new LinkedHashMap<>();
            childEffective.add(itemEffective);
            out.add(new ConfigNode(itemPath, typed, report, itemEffective));
        }
        return out;
    }

    public boolean has(String key) {
        return raw.get(key) != null;
    }

    public int getInt(String key, int defaultValue, int min, int max) {
        return (int) getLong(key, defaultValue, min, max);
    }

    public long getLong(String key, long defaultValue, long min, long max) {
        Object value = lookup(key);
        long result = defaultValue;
        if (value != null) {
            if (value instanceof Integer || value instanceof Long) {
                result = ((Number) value).longValue();
                if (result < min || result > max) {
                    report.problem(keyPath(key), value, "an integer from " + min + " to " + max);
                    result = defaultValue;
                }
            } else if (value instanceof java.math.BigInteger) {
                report.problem(keyPath(key), value, "an integer from " + min + " to " + max);
            } else {
                report.problem(keyPath(key), value, "an integer from " + min + " to " + max);
            }
        }
        effective.put(key, result);
        return result;
    }

    public double getDouble(String key, double defaultValue, double min, double max) {
        Object value = lookup(key);
        double result = defaultValue;
        if (value != null) {
            if (value instanceof Number number && !(value instanceof java.math.BigInteger)) {
                result = number.doubleValue();
                if (Double.isNaN(result) || result < min || result > max) {
                    report.problem(keyPath(key), value, "a number from " + fmt(min) + " to " + fmt(max));
                    result = defaultValue;
                }
            } else {
                report.problem(keyPath(key), value, "a number from " + fmt(min) + " to " + fmt(max));
            }
        }
        effective.put(key, result);
        return result;
    }

    public boolean getBool(String key, boolean defaultValue) {
        Object value = lookup(key);
        boolean result = defaultValue;
        if (value != null) {
            if (value instanceof Boolean b) {
                result = b;
            } else {
                report.problem(keyPath(key), value, "true or false");
            }
        }
        effective.put(key, result);
        return result;
    }

    /** A string; {@code defaultValue} may be null for "not set". Numbers are not accepted in place of strings. */
    public String getString(String key, String defaultValue) {
        Object value = lookup(key);
        String result = defaultValue;
        if (value != null) {
            if (value instanceof String s) {
                result = s;
            } else {
                report.problem(keyPath(key), value, "a string");
            }
        }
        effective.put(key, result);
        return result;
    }

    /** A string that must be one of {@code allowed} (compared case-insensitively, returned as listed). */
    public String getChoice(String key, String defaultValue, List<String> allowed) {
        Object value = lookup(key);
        String result = defaultValue;
        if (value != null) {
            String text = String.valueOf(value);
            String match = null;
            for (String candidate : allowed) {
                if (candidate.equalsIgnoreCase(text)) {
                    match = candidate;
                }
            }
            if (match == null || !(value instanceof String)) {
                report.problem(keyPath(key), value, "one of " + String.join(", ", allowed));
            } else {
                result = match;
            }
        }
        effective.put(key, result);
        return result;
    }

    public <E extends Enum<E>> E getEnum(String key, E defaultValue, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        String chosen = getChoice(key, defaultValue.name().toLowerCase(Locale.ROOT), names);
        return Enum.valueOf(type, chosen.toUpperCase(Locale.ROOT));
    }

    /** A path; {@code defaultValue} may be null for "not set". */
    public Path getPath(String key, String defaultValue) {
        String text = getString(key, defaultValue);
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.indexOf('\0') >= 0) {
            report.problem(keyPath(key), text, "a file system path");
            effective.put(key, defaultValue);
            return defaultValue == null ? null : Path.of(defaultValue);
        }
        return Path.of(text);
    }

    /** A list of strings; scalar numbers inside the list are taken as their text (so {@code [101, 102]} works). */
    public List<String> getStringList(String key, List<String> defaultValue) {
        Object value = lookup(key);
        List<String> result = defaultValue;
        if (value != null) {
            if (value instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                boolean ok = true;
                for (Object item : list) {
                    if (item instanceof String || item instanceof Integer || item instanceof Long) {
                        items.add(String.valueOf(item));
                    } else {
                        ok = false;
                    }
                }
                if (ok) {
                    result = Collections.unmodifiableList(items);
                } else {
                    report.problem(keyPath(key), value, "a list of strings or integers");
                }
            } else {
                report.problem(keyPath(key), value, "a list, e.g. [a, b]");
            }
        }
        effective.put(key, result);
        return result;
    }

    /** Like {@link #getString} for a secret (an API key): {@code --check-config} shows it as {@code (redacted)}. */
    public String getSecretString(String key, String defaultValue) {
        String value = getString(key, defaultValue);
        if (value != null && !value.isEmpty()) {
            effective.put(key, REDACTED);
        }
        return value;
    }

    /** Like {@link #getStringList} for secrets: {@code --check-config} shows how many, never the values. */
    public List<String> getSecretStringList(String key, List<String> defaultValue) {
        List<String> value = getStringList(key, defaultValue);
        if (value != null && !value.isEmpty()) {
            effective.put(key, value.size() + " value(s) " + REDACTED);
        }
        return value;
    }

    /** Marks a key the original read but that no longer means anything: accepted, with a warning saying what replaced it. */
    public void deprecated(String key, String replacement) {
        report.known(keyPath(key));
        if (raw.containsKey(key)) {
            report.warning(report.file() + ": key '" + keyPath(key) + "' is deprecated and ignored; " + replacement);
        }
    }

    /** Records a problem found by a cross-key check (e.g. min above max). */
    public void problem(String key, Object value, String allowed) {
        report.problem(keyPath(key), value, allowed);
    }

    public String path() {
        return path;
    }

    private Object lookup(String key) {
        report.known(keyPath(key));
        return raw.get(key);
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
