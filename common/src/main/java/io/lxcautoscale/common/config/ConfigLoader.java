package io.lxcautoscale.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one YAML configuration file into a typed record through a binder function.
 *
 * <p>The single way every daemon loads its configuration: unparseable YAML, wrong types and out-of-range
 * values become one {@link ConfigException} listing every problem; unknown keys become warnings naming the
 * closest known key; an empty file or section means defaults.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** A loaded configuration, its warnings and the effective values (defaults filled in). */
    public record Loaded<T>(T config, List<String> warnings, Map<String, Object> effective, List<String> knownKeys) {
        /** The effective configuration as YAML, for {@code --check-config}. */
        public String effectiveYaml() {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setIndent(2);
            return new Yaml(options).dump(effective);
        }
    }

    public static <T> Loaded<T> load(Path file, Function<ConfigNode, T> binder) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of(file + ": file not found"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(file.toString(), text, binder);
    }

    /** Parses YAML text as if read from {@code fileName} (used for files and for tests). */
    public static <T> Loaded<T> parse(String fileName, String yamlText, Function<ConfigNode, T> binder) {
        Map<String, Object> root = parseYaml(fileName, yamlText);
        ConfigReport report = new ConfigReport(fileName);
        Map<String, Object> effective = new LinkedHashMap<>();
        T config = binder.apply(new ConfigNode("", root, report, effective));
        if (!report.problems().isEmpty()) {
            throw new ConfigException(fileName, report.problems());
        }
        List<String> warnings = new ArrayList<>(report.warnings());
        List<String> known = new ArrayList<>(report.knownKeys());
        collectUnknown(fileName, "", root, known, warnings);
        return new Loaded<>(config, warnings, effective, known);
    }

    /** Every key path present in a YAML text (sections and leaves), for the documented-defaults test. */
    public static List<String> keyPaths(String fileName, String yamlText) {
        List<String> out = new ArrayList<>();
        walk("", parseYaml(fileName, yamlText), out);
        return out;
    }

    private static void walk(String prefix, Map<String, Object> map, List<String> out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(p);
            if (e.getValue() instanceof Map<?, ?> child) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) child;
                walk(p, typed, out);
            }
        }
    }

    private static Map<String, Object> parseYaml(String fileName, String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (YAMLException e) {
            throw new ConfigException(fileName, List.of(fileName + ": not valid YAML: " + e.getMessage().replace('\n', ' ')));
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigException(fileName, List.of(fileName + ": the top level must be a map of keys, found " + ConfigReport.render(doc)));
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException(fileName, List.of(fileName + ": key " + key + " must be a string"));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return typed;
    }

    private static void collectUnknown(String file, String prefix, Map<String, Object> map, List<String> known, List<String> warnings) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (!known.contains(p)) {
                String closest = closest(p, known);
                warnings.add(file + ": unknown key '" + p + "' ignored" + (closest == null ? "" : "; did you mean '" + closest + "'?"));
            } else if (e.getValue() instanceof Map<?, ?> child) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) child;
                collectUnknown(file, p, typed, known, warnings);
            } else if (e.getValue() instanceof List<?> items) {
                // a list of sections (ConfigNode.sectionList) is checked item by item, as "key[i].child"
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i) instanceof Map<?, ?> child && known.contains(p + "[" + i + "]")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> typed = (Map<String, Object>) child;
                        collectUnknown(file, p + "[" + i + "]", typed, known, warnings);
                    }
                }
            }
        }
    }

    static String closest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
