package io.lxcautoscale.model.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict reader of Prometheus' text format 0.0.4 written for the tests from the format's
 * description (not from the code under test): it rejects a sample whose family has no {@code # TYPE}
 * before it, a family split in two, a repeated series, a counter not named {@code *_total}, bad escapes
 * and unparseable values.
 */
public final class ExpositionParser {
    /** One sample: metric name, labels in order, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    /** A parsed scrape: the families' types and help texts, and the samples. */
    public record Scrape(Map<String, String> types, Map<String, String> help, List<Sample> samples) {
        public List<Sample> of(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).toList();
        }

        /** The value of the one sample of {@code name} whose labels include {@code labels} (pairs). */
        public double value(String name, String... labels) {
            List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && matches(s, labels)).toList();
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " samples of " + name + " with " + List.of(labels) + " in " + samples);
            }
            return found.get(0).value();
        }

        private static boolean matches(Sample s, String... labels) {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    private ExpositionParser() {
    }

    public static Scrape parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        String open = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + " '" + line + "': ";
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String rest = line.substring(7);
                int sp = rest.indexOf(' ');
                if (sp <= 0) {
                    throw new IllegalArgumentException(where + "no metric name");
                }
                String name = rest.substring(0, sp);
                checkName(name, where);
                if (!name.equals(open)) {
                    if (open != null) {
                        finished.add(open);
                    }
                    if (finished.contains(name)) {
                        throw new IllegalArgumentException(where + "family " + name + " appears twice");
                    }
                    open = name;
                }
                if (line.startsWith("# HELP ")) {
                    if (help.put(name, rest.substring(sp + 1)) != null) {
                        throw new IllegalArgumentException(where + "second HELP");
                    }
                } else {
                    String type = rest.substring(sp + 1);
                    if (!Set.of("counter", "gauge", "untyped", "summary", "histogram").contains(type)) {
                        throw new IllegalArgumentException(where + "unknown type");
                    }
                    if (types.put(name, type) != null) {
                        throw new IllegalArgumentException(where + "second TYPE");
                    }
                    if (type.equals("counter") && !name.endsWith("_total")) {
                        throw new IllegalArgumentException(where + "a counter must be named *_total");
                    }
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            checkName(name, where);
            if (!name.equals(open) || !types.containsKey(name)) {
                throw new IllegalArgumentException(where + "sample outside its family's block (no TYPE line right before)");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    if (!key.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                        throw new IllegalArgumentException(where + "bad label name " + key);
                    }
                    if (line.charAt(eq + 1) != '"') {
                        throw new IllegalArgumentException(where + "label value not quoted");
                    }
                    StringBuilder v = new StringBuilder();
                    int j = eq + 2;
                    while (line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char n = line.charAt(j + 1);
                            switch (n) {
                                case '\\' -> v.append('\\');
                                case '"' -> v.append('"');
                                case 'n' -> v.append('\n');
                                default -> throw new IllegalArgumentException(where + "bad escape \\" + n);
                            }
                            j += 2;
                        } else {
                            v.append(c);
                            j++;
                        }
                    }
                    if (labels.put(key, v.toString()) != null) {
                        throw new IllegalArgumentException(where + "label " + key + " twice");
                    }
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            if (i >= line.length() || line.charAt(i) != ' ') {
                throw new IllegalArgumentException(where + "no space before the value");
            }
            String[] parts = line.substring(i + 1).split(" ");
            if (parts.length < 1 || parts.length > 2) {
                throw new IllegalArgumentException(where + "expected a value and an optional timestamp");
            }
            double value = switch (parts[0]) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(parts[0]);
            };
            if (!series.add(name + labels)) {
                throw new IllegalArgumentException(where + "series repeated");
            }
            samples.add(new Sample(name, labels, value));
        }
        return new Scrape(types, help, samples);
    }

    private static void checkName(String name, String where) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException(where + "bad metric name " + name);
        }
    }
}
