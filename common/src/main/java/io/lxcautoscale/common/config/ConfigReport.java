package io.lxcautoscale.common.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What reading one configuration file found: known keys, problems and warnings. */
final class ConfigReport {
    private final String file;
    private final Set<String> knownKeys = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ConfigReport(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void known(String keyPath) {
        knownKeys.add(keyPath);
    }

    void problem(String keyPath, Object value, String allowed) {
        problems.add(file + ": key '" + keyPath + "' has value " + render(value) + "; allowed: " + allowed);
    }

    void warning(String message) {
        warnings.add(message);
    }

    Set<String> knownKeys() {
        return knownKeys;
    }

    List<String> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    static String render(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(value);
    }
}
